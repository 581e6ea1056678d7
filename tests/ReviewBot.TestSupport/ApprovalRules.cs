namespace ReviewBot.TestSupport;

/// <summary>Rules files the end-to-end tests of both platforms share.</summary>
public static class ApprovalRules
{
    /// <summary>One rule: an owner (CODEOWNERS at the base) of each touched path must approve.</summary>
    public const string CodeOwners = """
        version: 1
        rules:
          - name: code owners
            require: { approvals: [{ codeowners: true }] }
        """;

    /// <summary>The built-in policy's "AI-authored changes need a human approval" rule, with the approval defaults a test sets.</summary>
    /// <param name="defaults">The inside of <c>defaults: { … }</c>, e.g. <c>exclude_last_pusher: true</c>.</param>
    /// <param name="agentLogin">An agent account the rules file lists under <c>agents.logins</c>, if any.</param>
    public static string NeedsHumanApproval(string defaults = "", string? agentLogin = null) => $$"""
        version: 1
        groups:
          reviewers: { anyone: true }
        {{(agentLogin is null ? "" : $"agents: {{ logins: [{agentLogin}] }}")}}
        defaults: { {{defaults}} }
        rules:
          - name: AI-authored changes need a human approval
            if: { authorship: ai-authored }
            require:
              approvals: [{ group: reviewers, count: 1 }]
        """;
}
