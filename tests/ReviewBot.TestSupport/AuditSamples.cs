using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.TestSupport;

/// <summary>Audit records with every part filled (authorship evidence, findings, decision, actions) for store and CLI tests.</summary>
public static class AuditSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static AuditRecord Decision(string id, string repo, long number, DateTimeOffset time, DecisionState state = DecisionState.Pending) => new()
    {
        Id = id,
        Time = time,
        Platform = "github",
        Repository = repo,
        Number = number,
        HeadSha = "0123456789abcdef0123456789abcdef01234567",
        DeliveryId = "delivery-" + id,
        Event = "pull_request.synchronize",
        RulesRevision = ".github/reviewbot.yml@89abcdef",
        Authorship = new AuthorshipVerdict
        {
            Kind = AuthorshipKind.AiAuthored,
            Agents = ["copilot-coding-agent"],
            Initiator = "octocat",
            Confidence = Confidence.High,
            Reason = "opened by Copilot coding agent",
            Evidence =
            [
                new Evidence
                {
                    Signal = "copilot-agent.pr-author",
                    Agent = "copilot-coding-agent",
                    Location = "pr.author",
                    Matched = "Copilot",
                    Strength = SignalStrength.Strong,
                    Implies = AuthorshipKind.AiAuthored,
                },
            ],
        },
        Risk = new RiskReport
        {
            Level = RiskLevel.High,
            Score = 42.5,
            Findings =
            [
                new Finding
                {
                    RuleId = "RB1001",
                    Category = "authorization",
                    Severity = Severity.High,
                    Title = "AllowAnonymous added",
                    Message = "The change opens an endpoint to anonymous callers.",
                    Path = "src/Api/Controller.cs",
                    StartLine = 12,
                    EndLine = 12,
                },
            ],
        },
        Decision = new Decision
        {
            State = state,
            Title = "Needs 1 approval from seniors",
            Summary = "AI-authored change touching authorization.",
            Approvals =
            [
                new ApprovalRequirementResult
                {
                    Rule = "ai-authored",
                    From = "group seniors",
                    Required = 1,
                    Approved = 0,
                    Reviewers = [new ReviewerStanding("octocat", ReviewerVerdict.Initiator, "dispatched the agent")],
                },
            ],
            Labels = ["ai-authored", "risk:high"],
        },
        Actions = ["check-run ReviewBot: action_required", "requested review: team acme/seniors", "label added: ai-authored"],
    };
}
