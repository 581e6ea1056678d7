using System.Globalization;
using System.Text;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Decisions;

/// <summary>How a line of an explanation reads at a glance.</summary>
public enum Mark
{
    None,
    Ok,
    Pending,
    Fail,
    Skip,
}

/// <summary>One line of an explanation: a mark, an optional bold label, the text, and details beneath.</summary>
public sealed record ExplanationNode(Mark Mark, string? Label, string Text, IReadOnlyList<ExplanationNode> Children)
{
    public ExplanationNode(Mark mark, string? label, string text)
        : this(mark, label, text, [])
    {
    }
}

/// <summary>A headed list of explanation lines.</summary>
public sealed record ExplanationSection(string Heading, IReadOnlyList<ExplanationNode> Items);

/// <summary>
/// Renders the one explanation tree of a decision (and of authorship and risk) as markdown (check run,
/// comment, CLI <c>--format markdown</c>) or plain text (CLI). Markdown escapes every piece of text that comes
/// from rules, reviews or the change, and defuses @mentions, so a summary never pings or injects markup.
/// </summary>
public static class DecisionRenderer
{
    public static IReadOnlyList<ExplanationSection> Sections(Decision d)
    {
        var sections = new List<ExplanationSection>();
        if (d.Override is { } lift)
        {
            // At the top: whoever reads the check sees first that the requirements were lifted, by whom and why.
            Add(sections, "Override", [
                new ExplanationNode(Mark.Ok, "By", $"{lift.By} at {lift.At.ToString("u", CultureInfo.InvariantCulture)} for head {lift.HeadSha[..Math.Min(7, lift.HeadSha.Length)]} (ends with the next push)"),
                new ExplanationNode(Mark.None, "Reason", lift.Reason.Length > 0 ? lift.Reason : "(none given)"),
                .. lift.Lifted.Select(l => new ExplanationNode(Mark.Ok, "Lifted", l)),
                .. lift.Kept.Select(k => new ExplanationNode(Mark.Fail, "Not overridable", k)),
            ]);
        }

        // Next: the findings reviewers took responsibility for, and what that took away from the change's demands.
        Add(sections, "Reviewed findings", [
            .. d.Dismissals.Select(x => new ExplanationNode(Mark.Ok, x.Finding.Id,
                $"{x.Finding.RuleId} {Name(x.Finding.Severity)} at {x.Finding.Path}:{x.Finding.StartLine}, reviewed by @{x.By}: {x.Reason} "
                + $"({x.At.ToString("u", CultureInfo.InvariantCulture)}, head {x.HeadSha[..Math.Min(7, x.HeadSha.Length)]}; ends with the next push)")),
            .. d.LiftedByDismissals.Select(l => new ExplanationNode(Mark.Ok, "No longer required", l)),
        ]);
        Add(sections, "Rules file errors", d.Errors.Select(e => new ExplanationNode(Mark.Fail, null, e.ToString())));
        Add(sections, "Errors in the rules file as this change leaves it", d.HeadRulesErrors.Select(e => new ExplanationNode(Mark.Fail, null, e.ToString())));
        Add(sections, "Blocks", d.Blocks.Select(b => new ExplanationNode(Mark.Fail, b.Rule, b.Message)));
        // Rules in evaluate mode are recorded in the decision (the audit log) only, never shown.
        Add(sections, d.RulesPath is { } path ? $"Rules ({path})" : "Rules", d.Rules.Where(r => r.Mode != RuleMode.Evaluate).Select(Rule));
        Add(sections, "Approvals", d.Approvals.Select(Approval));
        Add(sections, "Required checks", d.Checks.Select(c => new ExplanationNode(
            c.State switch
            {
                CheckRequirementState.Passed => Mark.Ok,
                CheckRequirementState.Failed => Mark.Fail,
                _ => Mark.Pending,
            },
            c.Label,
            $"{Name(c.State)} ({c.Rule}): {c.Reason}")));
        var actions = new List<ExplanationNode>();
        if (d.Labels.Count > 0)
        {
            actions.Add(new(Mark.None, "Labels", string.Join(", ", d.Labels)));
        }

        if (d.ReviewersToRequest.Count + d.TeamsToRequest.Count > 0)
        {
            actions.Add(new(Mark.None, "Reviews to request", string.Join(", ", d.ReviewersToRequest.Concat(d.TeamsToRequest))));
        }

        Add(sections, "Actions", actions);
        Add(sections, "Commands", d.Commands.Select(c => new ExplanationNode(c.Accepted ? Mark.Ok : Mark.Skip, $"/reviewbot {c.Command}", $"{c.By}: {c.Text}")));
        Add(sections, "Notes", d.Notes.Select(n => new ExplanationNode(Mark.None, null, n)));
        return sections;
    }

    public static ExplanationSection Authorship(AuthorshipVerdict a)
    {
        var items = new List<ExplanationNode>
        {
            new(Mark.None, "Kind", $"{Name(a.Kind)} (confidence {Name(a.Confidence)})" + (a.Reason.Length > 0 ? ": " + a.Reason : "")),
        };
        if (a.Agents.Count > 0)
        {
            items.Add(new(Mark.None, "Agents", string.Join(", ", a.Agents)));
        }

        if (a.Initiator is { } initiator)
        {
            items.Add(new(Mark.None, "Initiator", initiator));
        }

        if (a.Evidence.Count > 0)
        {
            items.Add(new(Mark.None, "Evidence", $"{a.Evidence.Count} signal(s)", a.Evidence.Select(e => new ExplanationNode(Mark.None, e.Signal,
                $"{e.Location}: \"{e.Matched}\" ({Name(e.Strength)}, implies {Name(e.Implies)})" + (e.Note is { } note ? "; " + note : ""))).ToList()));
        }

        return new ExplanationSection("Authorship", items);
    }

    public static ExplanationSection Risk(RiskReport r)
    {
        var m = r.Metrics;
        var items = new List<ExplanationNode>
        {
            new(Mark.None, "Level", $"{Name(r.Level)} (score {r.Score.ToString("0.##", CultureInfo.InvariantCulture)})"),
            new(Mark.None, "Size", $"{m.Files} file(s) in {m.Directories} director{(m.Directories == 1 ? "y" : "ies")}, +{m.LinesAdded} -{m.LinesDeleted}, entropy {m.Entropy.ToString("0.00", CultureInfo.InvariantCulture)}"),
        };
        items.AddRange(r.Findings.Select(f => new ExplanationNode(
            f.Severity >= Severity.High ? Mark.Fail : Mark.Pending,
            $"{Label(f)} {Name(f.Severity)}",
            $"{f.Path}:{f.StartLine} ({f.Category}) {f.Title}: {f.Message}")));
        items.AddRange(r.Dismissed.Select(d => new ExplanationNode(
            Mark.Skip,
            $"{Label(d.Finding)} {Name(d.Finding.Severity)}",
            $"{d.Finding.Path}:{d.Finding.StartLine} ({d.Finding.Category}) {d.Finding.Title}: reviewed by @{d.By}: {d.Reason}")));
        items.AddRange(r.Explanation.Select(e => new ExplanationNode(Mark.None, null, e)));
        items.AddRange(r.Notes.Select(n => new ExplanationNode(Mark.None, n.Path, n.Note)));
        return new ExplanationSection("Risk", items);
    }

    /// <summary>A finding's id (what <c>/reviewbot dismiss</c> takes), or its rule id when it has none.</summary>
    private static string Label(Finding f) => f.Id.Length > 0 ? f.Id : f.RuleId;

    /// <summary>Markdown of the decision alone (the decision's <see cref="Decision.Summary"/>).</summary>
    public static string Markdown(Decision d) => Markdown(d, []);

    /// <summary>Markdown: a heading with the title, then each section (plus any extra, e.g. authorship, risk).</summary>
    public static string Markdown(Decision d, IEnumerable<ExplanationSection> extra)
    {
        var sb = new StringBuilder();
        sb.Append("### ").Append(Icon(StateMark(d))).Append(' ').Append(Escape(d.Title)).Append("\n\n");
        foreach (var section in Sections(d).Concat(extra))
        {
            sb.Append("**").Append(Escape(section.Heading)).Append("**\n\n");
            foreach (var item in section.Items)
            {
                AppendMarkdown(sb, item, 0);
            }

            sb.Append('\n');
        }

        return sb.ToString().TrimEnd() + "\n";
    }

    /// <summary>Plain text for terminals: "ReviewBot: PENDING: title", then indented sections.</summary>
    public static string Text(Decision d, IEnumerable<ExplanationSection> extra)
    {
        var sb = new StringBuilder();
        sb.Append("ReviewBot: ").Append(Name(d.State).ToUpperInvariant()).Append(": ").Append(d.Title).Append('\n');
        foreach (var section in Sections(d).Concat(extra))
        {
            sb.Append('\n').Append(section.Heading).Append('\n');
            foreach (var item in section.Items)
            {
                AppendText(sb, item, 1);
            }
        }

        return sb.ToString();
    }

    public static Mark StateMark(Decision d) => d.NoRules ? Mark.Skip : d.State switch
    {
        DecisionState.Pass => Mark.Ok,
        DecisionState.Pending => Mark.Pending,
        _ => Mark.Fail,
    };

    /// <summary>Escapes markdown metacharacters and defuses @mentions and line breaks in untrusted text.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\r':
                    break;
                case '\n':
                    sb.Append(' ');
                    break;
                case '@':
                    sb.Append("@\u200B");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '~' or '!':
                    sb.Append('\\').Append(ch);
                    break;
                default:
                    sb.Append(ch);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>"applied (organisation): reason"; a warn rule says so and lists what it would demand.</summary>
    private static ExplanationNode Rule(RuleResult r)
    {
        var layer = Name(r.Layer);
        if (r.Mode == RuleMode.Enforce)
        {
            return new ExplanationNode(r.Applied ? Mark.Ok : Mark.Skip, r.Name, $"{(r.Applied ? "applied" : "skipped")} ({layer}): {r.Reason}");
        }

        var verdict = !r.Applied ? "skipped" : r.Unmet.Count == 0 ? "applied, would pass" : "applied, would not pass";
        return new ExplanationNode(
            !r.Applied ? Mark.Skip : r.Unmet.Count == 0 ? Mark.Ok : Mark.Pending,
            r.Name,
            $"warn only, not enforced; {verdict} ({layer}): {r.Reason}",
            [.. r.Unmet.Select(u => new ExplanationNode(Mark.None, null, u))]);
    }

    private static ExplanationNode Approval(ApprovalRequirementResult a)
    {
        var mark = a.Vetoed ? Mark.Fail : a.Satisfied ? Mark.Ok : Mark.Pending;
        var text = $"{a.Approved} of {a.Required} approval(s) from {a.From}"
            + (a.Missing > 0 ? $", {a.Missing} missing" : "")
            + (a.Vetoed ? ", vetoed" : "");
        var reviewers = a.Reviewers.Select(r => new ExplanationNode(
            r.Verdict == ReviewerVerdict.Counted ? Mark.Ok : r.Verdict == ReviewerVerdict.Veto ? Mark.Fail : Mark.Skip,
            r.Reviewer,
            $"{Name(r.Verdict)}: {r.Reason}")).ToList();
        if (reviewers.Count == 0)
        {
            reviewers.Add(new(Mark.None, null, "no reviews yet"));
        }

        return new ExplanationNode(mark, a.Rule, text, reviewers);
    }

    private static void AppendMarkdown(StringBuilder sb, ExplanationNode node, int depth)
    {
        sb.Append(' ', depth * 2).Append("- ");
        if (node.Mark != Mark.None)
        {
            sb.Append(Icon(node.Mark)).Append(' ');
        }

        if (node.Label is { } label)
        {
            sb.Append("**").Append(Escape(label)).Append("**: ");
        }

        sb.Append(Escape(node.Text)).Append('\n');
        foreach (var child in node.Children)
        {
            AppendMarkdown(sb, child, depth + 1);
        }
    }

    private static void AppendText(StringBuilder sb, ExplanationNode node, int depth)
    {
        sb.Append(' ', depth * 2);
        if (node.Mark != Mark.None)
        {
            sb.Append(node.Mark switch
            {
                Mark.Ok => "[ok] ",
                Mark.Pending => "[..] ",
                Mark.Fail => "[!!] ",
                _ => "[--] ",
            });
        }

        if (node.Label is { } label)
        {
            sb.Append(label).Append(": ");
        }

        sb.Append(node.Text.ReplaceLineEndings(" ")).Append('\n');
        foreach (var child in node.Children)
        {
            AppendText(sb, child, depth + 1);
        }
    }

    /// <summary>The emoji of a mark (markdown and the details page).</summary>
    public static string Icon(Mark mark) => mark switch
    {
        Mark.Ok => "✅",
        Mark.Pending => "⏳",
        Mark.Fail => "❌",
        Mark.Skip => "➖",
        _ => "",
    };

    private static void Add(List<ExplanationSection> sections, string heading, IEnumerable<ExplanationNode> items)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            sections.Add(new ExplanationSection(heading, list));
        }
    }

    /// <summary>The JSON string of an enum value (what the model declares), for prose.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum
        => System.Text.Json.JsonSerializer.Serialize(value, Serialization.ReviewBotJson.Compact).Trim('"');
}
