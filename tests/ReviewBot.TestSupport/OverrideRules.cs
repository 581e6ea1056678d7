namespace ReviewBot.TestSupport;

/// <summary>Rules with a break-glass section: release managers may override, except the workflow rule.</summary>
public static class OverrideRules
{
    public const string Rule = "AI-authored changes need a human approval";
    public const string Never = "Agents never change workflows";

    public static string Text(string? agentLogin = null, string extra = "") => $$"""
        version: 1
        groups:
          reviewers: { users: [carol] }
          release-managers: { users: [rita, alice] }
        {{(agentLogin is null ? "" : $"agents: {{ logins: [{agentLogin}] }}")}}
        overrides:
          groups: [release-managers]
          never: [{{Never}}]
          {{extra}}
        rules:
          - name: {{Rule}}
            if: { authorship: ai-authored }
            require:
              approvals: [{ group: reviewers, count: 1 }]
          - name: {{Never}}
            if: { paths: [".github/workflows/**", ".gitlab-ci.yml"] }
            block: agents may not change CI workflows
        """;
}
