using System.Text.Json.Serialization;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// The documented, stable JSON shape of <c>reviewbot check --format json</c> (see docs/check-output.md).
/// Built from the engine's outcome through explicit records, so the domain model can grow without changing
/// this output. Bump <see cref="CurrentSchemaVersion"/> on any breaking change.
/// </summary>
public sealed record CheckReport(
    int SchemaVersion,
    string Repository,
    CheckRevision Base,
    CheckRevision Head,
    CheckRulesSource? RulesSource,
    CheckRulesSource? OrganisationRulesSource,
    IReadOnlyList<string> Notes,
    CheckDecision Decision,
    CheckAuthorship Authorship,
    CheckRisk Risk,
    IReadOnlyList<RuleResult> Rules,
    CheckRequirements Requirements,
    IReadOnlyList<BlockResult> Blocks,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> ReviewersToRequest,
    IReadOnlyList<string> TeamsToRequest,
    IReadOnlyList<CheckError> Errors,
    IReadOnlyList<CheckError> HeadRulesErrors)
{
    public const int CurrentSchemaVersion = 1;

    public static CheckReport From(ReviewOutcome outcome, IReadOnlyList<string> notes)
    {
        var s = outcome.Snapshot;
        var d = outcome.Decision;
        return new CheckReport(
            CurrentSchemaVersion,
            s.Repository,
            new CheckRevision(s.BaseRef, s.BaseSha),
            new CheckRevision(s.HeadRef, s.HeadSha),
            outcome.Rules is { } rules ? new CheckRulesSource(rules.Path, rules.Origin, rules.Revision) : null,
            outcome.OrganisationRules is { } org ? new CheckRulesSource(org.Path, org.Origin, org.Revision) : null,
            [.. notes, .. d.Notes],
            new CheckDecision(DecisionRenderer.Name(d.State), d.Title, OutcomeName(outcome.Plan.Outcome)),
            ToAuthorship(outcome.Authorship),
            ToRisk(outcome.Risk),
            d.Rules,
            new CheckRequirements(d.Approvals.Select(Approval).ToList(), d.Checks.Select(Check).ToList()),
            d.Blocks,
            d.Labels,
            d.ReviewersToRequest,
            d.TeamsToRequest,
            d.Errors.Select(CheckError.From).ToList(),
            d.HeadRulesErrors.Select(CheckError.From).ToList());
    }

    /// <summary>"success", "action-required", "failure", "neutral".</summary>
    public static string OutcomeName(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Success => "success",
        CheckOutcome.ActionRequired => "action-required",
        CheckOutcome.Failure => "failure",
        _ => "neutral",
    };

    private static CheckAuthorship ToAuthorship(AuthorshipVerdict a) => new(
        DecisionRenderer.Name(a.Kind),
        a.Agents,
        a.Initiator,
        DecisionRenderer.Name(a.Confidence),
        a.Reason,
        a.Evidence.Select(e => new CheckEvidence(e.Signal, e.Agent, e.Location, e.Matched, DecisionRenderer.Name(e.Strength), DecisionRenderer.Name(e.Implies), e.Note)).ToList());

    private static CheckRisk ToRisk(RiskReport r) => new(
        DecisionRenderer.Name(r.Level),
        r.Score,
        r.Findings.Select(f => new CheckFinding(f.Id, f.RuleId, f.Category, DecisionRenderer.Name(f.Severity), f.Title, f.Path, f.StartLine, Math.Max(f.StartLine, f.EndLine),
            f.Side == Side.Base ? "base" : "head", f.Message)).ToList(),
        new CheckMetrics(r.Metrics.Files, r.Metrics.Directories, r.Metrics.LinesAdded, r.Metrics.LinesDeleted, r.Metrics.Entropy, r.Metrics.CSharpFilesAnalysed),
        r.Explanation);

    private static CheckApproval Approval(ApprovalRequirementResult a) => new(
        a.Rule, a.From, a.Required, a.Approved, a.Missing, a.Vetoed, a.Satisfied,
        a.Reviewers.Select(r => new CheckReviewer(r.Reviewer, DecisionRenderer.Name(r.Verdict), r.Reason)).ToList());

    private static CheckCheck Check(CheckRequirementResult c) => new(c.Rule, c.Pattern, c.Pin, DecisionRenderer.Name(c.State), c.Matched, c.Ignored, c.Reason);
}

public sealed record CheckRevision(string Ref, string Sha);

public sealed record CheckRulesSource(string Path, string Origin, string Revision);

/// <summary><c>state</c>: pass | pending | fail; <c>outcome</c>: success | action-required | failure | neutral.</summary>
public sealed record CheckDecision(string State, string Title, string Outcome);

public sealed record CheckEvidence(string Signal, string? Agent, string Location, string Matched, string Strength, string Implies, string? Note);

public sealed record CheckAuthorship(string Kind, IReadOnlyList<string> Agents, string? Initiator, string Confidence, string Reason, IReadOnlyList<CheckEvidence> Evidence);

/// <summary><c>id</c>: the finding's id, what <c>/reviewbot dismiss</c> takes (see rules/README.md, "commands").</summary>
public sealed record CheckFinding(string Id, string RuleId, string Category, string Severity, string Title, string Path, int Line, int EndLine, string Side, string Message);

public sealed record CheckMetrics(int Files, int Directories, int LinesAdded, int LinesDeleted, double Entropy, [property: JsonPropertyName("csharpFilesAnalysed")] int CSharpFilesAnalysed);

public sealed record CheckRisk(string Level, double Score, IReadOnlyList<CheckFinding> Findings, CheckMetrics Metrics, IReadOnlyList<string> Explanation);

public sealed record CheckReviewer(string Reviewer, string Verdict, string Reason);

public sealed record CheckApproval(string Rule, string From, int Required, int Approved, int Missing, bool Vetoed, bool Satisfied, IReadOnlyList<CheckReviewer> Reviewers);

public sealed record CheckCheck(string Rule, string Pattern, string? Pin, string State, IReadOnlyList<string> Matched, IReadOnlyList<string> Ignored, string Reason);

public sealed record CheckRequirements(IReadOnlyList<CheckApproval> Approvals, IReadOnlyList<CheckCheck> Checks);

public sealed record CheckError(string File, int Line, int Column, string Message, string Text)
{
    public static CheckError From(RulesError e) => new(e.File, e.Line, e.Column, e.Message, e.ToString());
}
