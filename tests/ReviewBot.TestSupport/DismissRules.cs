namespace ReviewBot.TestSupport;

/// <summary>
/// Rules for <c>/reviewbot dismiss</c>: an AI change needs a reviewer; a risky one (risk medium or more) needs security too;
/// a change with a finding of rule RB9001 (not analysable) is blocked.
/// </summary>
public static class DismissRules
{
    public const string Reviewers = "AI-authored changes need a reviewer";
    public const string Risky = "Risky changes need security";
    public const string Blocked = "Unanalysable code is blocked";

    public static string Text(string? agentLogin = null, string reviewers = "{ users: [carol] }") => $$"""
        version: 1
        groups:
          reviewers: {{reviewers}}
          security: { users: [sam] }
        {{(agentLogin is null ? "" : $"agents: {{ logins: [{agentLogin}] }}")}}
        rules:
          - name: {{Reviewers}}
            if: { authorship: ai-authored }
            require:
              approvals: [{ group: reviewers, count: 1 }]
          - name: {{Risky}}
            if: { risk: ">= medium" }
            require:
              approvals: [{ group: security, count: 1 }]
          - name: {{Blocked}}
            if: { findings: [RB9001] }
            block: code ReviewBot cannot analyse is not merged
        """;

    /// <summary>A C# file before and after a change that starts an OS process with a caller's command (a medium finding, RB3002: the command's origin is unknown).</summary>
    public const string ToolBefore = "class Tool\n{\n    void Run(string command)\n    {\n    }\n}\n";

    public const string ToolAfter = "class Tool\n{\n    void Run(string command)\n    {\n        System.Diagnostics.Process.Start(command);\n    }\n}\n";
}
