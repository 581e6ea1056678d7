namespace ReviewBot.TestSupport;

/// <summary>The built-in policy's "AI-authored changes need a human approval" rule, with the approval defaults a test sets.</summary>
public static class ApprovalRules
{
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
