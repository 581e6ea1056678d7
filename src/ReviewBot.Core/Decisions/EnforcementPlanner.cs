using System.Text;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Decisions;

/// <summary>
/// Decision + authorship + risk → what the platform must make true.
/// <list type="bullet">
/// <item>Outcome: no rules anywhere → <see cref="CheckOutcome.Neutral"/> (never failing); pass → Success;
/// pending → ActionRequired; fail → Failure.</item>
/// <item>Annotations: risk findings on the head side, then errors of the rules file as the change leaves it.</item>
/// <item>Labels and review requests: only those not present / not requested yet.</item>
/// <item>Comment: a short markdown note (the adapters add their own sticky-comment marker); none when nothing
/// is enforced.</item>
/// </list>
/// </summary>
public sealed class EnforcementPlanner
{
    /// <summary>Hidden marker the adapters put at the top of ReviewBot's one sticky comment / note to find it again.</summary>
    public const string CommentMarker = "<!-- reviewbot:summary -->";

    /// <summary>Check-run summaries are limited to 65535 characters on GitHub; keep well below.</summary>
    public const int MaxSummaryLength = 60_000;

    public EnforcementPlan Plan(PullRequestSnapshot snapshot, Decision decision, AuthorshipVerdict authorship, RiskReport risk)
    {
        var outcome = decision.NoRules ? CheckOutcome.Neutral : decision.State switch
        {
            DecisionState.Pass => CheckOutcome.Success,
            DecisionState.Pending => CheckOutcome.ActionRequired,
            _ => CheckOutcome.Failure,
        };
        var summary = DecisionRenderer.Markdown(decision, [DecisionRenderer.Authorship(authorship), DecisionRenderer.Risk(risk)]);
        return new EnforcementPlan
        {
            HeadSha = snapshot.HeadSha,
            Outcome = outcome,
            Title = decision.Title,
            Summary = Truncate(summary, MaxSummaryLength),
            Annotations = Annotations(decision, risk),
            RequestUsers = decision.ReviewersToRequest.Where(u => !Contains(snapshot.RequestedReviewers, u)).ToList(),
            RequestTeams = decision.TeamsToRequest.Where(t => !Contains(snapshot.RequestedTeams, t)).ToList(),
            AddLabels = decision.Labels.Where(l => !Contains(snapshot.Labels, l)).ToList(),
            Comment = decision.NoRules ? null : Comment(decision, authorship, risk),
            Approvals = decision.Approvals,
            Replies = decision.Commands.Select(Reply).ToList(),
        };
    }

    /// <summary>Hidden marker of ReviewBot's answer to the command in comment <paramref name="commentId"/> (the adapters answer each once).</summary>
    public static string ReplyMarker(long commentId) => $"<!-- reviewbot:reply:{commentId} -->";

    private static CommandReply Reply(CommandAnswer answer)
        => new(answer.CommentId, ReplyMarker(answer.CommentId) + "\n**ReviewBot** (`/reviewbot " + DecisionRenderer.Escape(answer.Command) + "` by "
            + DecisionRenderer.Escape(answer.By) + "): " + (answer.Accepted ? "" : "refused: ") + DecisionRenderer.Escape(answer.Text) + "\n");

    private static List<Annotation> Annotations(Decision decision, RiskReport risk)
    {
        var annotations = risk.Findings
            .Where(f => f.Side == Side.Head && f.StartLine > 0)
            .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.StartLine)
            .Select(f => new Annotation(f.Path, f.StartLine, Math.Max(f.StartLine, f.EndLine), f.Severity, $"{f.RuleId}: {f.Title}", f.Message, f.RuleId))
            .ToList();
        annotations.AddRange(decision.HeadRulesErrors
            .Where(e => e.Line > 0)
            .Select(e => new Annotation(e.File, e.Line, e.Line, Severity.High, "Invalid ReviewBot rules", e.Message, "rules")));
        return annotations;
    }

    private static string Comment(Decision decision, AuthorshipVerdict authorship, RiskReport risk)
    {
        var sb = new StringBuilder();
        sb.Append("**ReviewBot**: ").Append(DecisionRenderer.Escape(decision.Title)).Append("\n\n");
        sb.Append("- Authorship: ").Append(DecisionRenderer.Name(authorship.Kind));
        if (authorship.Agents.Count > 0)
        {
            sb.Append(" (").Append(DecisionRenderer.Escape(string.Join(", ", authorship.Agents))).Append(')');
        }

        sb.Append("\n- Risk: ").Append(DecisionRenderer.Name(risk.Level))
            .Append(risk.Findings.Count > 0 ? $" ({risk.Findings.Count} finding(s))" : "").Append('\n');
        foreach (var approval in decision.Approvals.Where(a => !a.Satisfied))
        {
            sb.Append("- ").Append(DecisionRenderer.Escape($"{approval.Rule}: {approval.Approved} of {approval.Required} approval(s) from {approval.From}"))
                .Append(approval.Vetoed ? " (changes requested)" : "").Append('\n');
        }

        foreach (var check in decision.Checks.Where(c => c.State != CheckRequirementState.Passed))
        {
            sb.Append("- ").Append(DecisionRenderer.Escape($"check {check.Label}: {DecisionRenderer.Name(check.State)}")).Append('\n');
        }

        foreach (var block in decision.Blocks)
        {
            sb.Append("- ").Append(DecisionRenderer.Escape($"blocked by {block.Rule}: {block.Message}")).Append('\n');
        }

        foreach (var error in decision.Errors.Concat(decision.HeadRulesErrors))
        {
            sb.Append("- ").Append(DecisionRenderer.Escape(error.ToString())).Append('\n');
        }

        sb.Append("\nSee the ReviewBot check for the full explanation.\n");
        return sb.ToString();
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
        => values.Contains(value, StringComparer.OrdinalIgnoreCase);

    private static string Truncate(string text, int max)
        => text.Length <= max ? text : text[..(max - 80)] + "\n\n… (truncated: the full explanation is in the audit log and `reviewbot check`)\n";
}
