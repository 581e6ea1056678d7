using System.Globalization;
using System.Net;
using System.Text;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage;

namespace ReviewBot.Host;

/// <summary>What the details page shows: the pull request's audit records (newest first), the latest decided one, and what it was recorded with.</summary>
/// <param name="Excerpts">Content SHA-256 → bytes, for the files the latest decision's findings point into.</param>
public sealed record DetailsPageModel(
    string Platform,
    string Repository,
    long Number,
    IReadOnlyList<AuditRecord> Records,
    AuditRecord Latest,
    RecordedEvaluation? Evaluation,
    IReadOnlyDictionary<string, byte[]> Excerpts);

/// <summary>
/// The details page as server-rendered HTML: inline CSS, no scripts, no external assets, readable at 375 px (long words
/// wrap; code scrolls inside its own box). Every piece of text goes through <see cref="SecretRedactor"/> and is then
/// HTML-encoded (<see cref="Text"/>), so neither markup nor a secret from a rule, review or change reaches the page.
/// </summary>
public static class DetailsPageHtml
{
    /// <summary>Lines shown around a finding when the recorded file content is at hand.</summary>
    public const int ContextLines = 2;

    /// <summary>Most lines of one code excerpt.</summary>
    public const int MaxExcerptLines = 16;

    private const string Style = """
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff;overflow-wrap:anywhere}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        h1{font-size:1.3rem;margin:.25rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #d0d7de}
        h3{font-size:1rem;margin:1rem 0 .25rem}
        ul,ol{padding-left:1.25rem;margin:.25rem 0}li{margin:.15rem 0}
        .meta{color:#59636e;font-size:.9rem;margin:.25rem 0}
        .state{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-weight:600;font-size:.85rem}
        .state-pass{background:#dafbe1}.state-pending{background:#fff8c5}.state-fail{background:#ffebe9}.state-none{background:#eaeef2}
        .finding{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}
        pre{margin:.5rem 0;padding:.5rem;background:#f6f8fa;border-radius:6px;overflow-x:auto;max-width:100%;font-size:.85rem;line-height:1.4}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .ln{color:#8c959f;user-select:none}.hit{background:#fff8c5;display:inline-block;min-width:100%}
        .error{color:#d1242f}
        """;

    public static string Render(DetailsPageModel model)
    {
        var latest = model.Latest;
        var sb = new StringBuilder(16 * 1024);
        var name = $"{model.Repository}#{model.Number.ToString(CultureInfo.InvariantCulture)}";
        Open(sb, "ReviewBot: " + name);
        sb.Append("<header><p class=\"meta\">").Append(Text(Platform.Parse(model.Platform).ToString())).Append(" · ").Append(Text(name));
        if (model.Evaluation?.Snapshot is { Title.Length: > 0 } recorded)
        {
            sb.Append(" · ").Append(Text(recorded.Title));
        }

        sb.Append("</p>");
        if (latest.Decision is { } decision)
        {
            var mark = DecisionRenderer.StateMark(decision);
            sb.Append("<h1 id=\"title\">").Append(DecisionRenderer.Icon(mark)).Append(' ').Append(Text(decision.Title)).Append("</h1>");
            sb.Append("<p><span class=\"state state-").Append(decision.NoRules ? "none" : DecisionRenderer.Name(decision.State)).Append("\" id=\"state\">")
                .Append(Text(decision.NoRules ? "no rules" : DecisionRenderer.Name(decision.State))).Append("</span></p>");
        }
        else
        {
            sb.Append("<h1 id=\"title\">No decision recorded</h1>");
        }

        sb.Append("<p class=\"meta\">Head <code>").Append(Text(Short(latest.HeadSha))).Append("</code> · evaluated ").Append(Text(When(latest.Time)));
        if (latest.RulesRevision is { } rules)
        {
            sb.Append(" · rules <code>").Append(Text(rules)).Append("</code>");
        }

        sb.Append("</p>");
        if (latest.Error is { } error)
        {
            sb.Append("<p class=\"error\">").Append(Text(error)).Append("</p>");
        }

        sb.Append("</header>");

        if (latest.Decision is { } tree)
        {
            sb.Append("<section id=\"decision\"><h2>Decision</h2>");
            foreach (var section in DecisionRenderer.Sections(tree))
            {
                Section(sb, section);
            }

            sb.Append("</section>");
        }

        if (latest.Risk is { } risk)
        {
            Findings(sb, risk, model);
        }

        if (latest.Authorship is { } authorship)
        {
            // The section's own heading is the h2: its items only.
            sb.Append("<section id=\"authorship\"><h2>Authorship</h2><ul>");
            foreach (var item in DecisionRenderer.Authorship(authorship).Items)
            {
                Node(sb, item);
            }

            sb.Append("</ul>");
            sb.Append("</section>");
        }

        Timeline(sb, model.Records);
        sb.Append("<footer><p class=\"meta\">Rendered by ReviewBot from its audit log. This link is personal to this pull request: do not share it further.</p></footer>");
        Close(sb);
        return sb.ToString();
    }

    /// <summary>The body of an expired link's 404: the message alone.</summary>
    public static string Expired(string message)
    {
        var sb = new StringBuilder();
        Open(sb, "ReviewBot: link expired");
        sb.Append("<h1>Link expired</h1><p id=\"expired\">").Append(Text(message)).Append("</p>");
        Close(sb);
        return sb.ToString();
    }

    /// <summary>Redacted, then HTML-encoded: the only way text reaches the page.</summary>
    public static string Text(string? text) => WebUtility.HtmlEncode(SecretRedactor.Redact(text) ?? "");

    private static void Open(StringBuilder sb, string title)
        => sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(Text(title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");

    private static void Close(StringBuilder sb) => sb.Append("</main></body></html>");

    private static void Section(StringBuilder sb, ExplanationSection section)
    {
        sb.Append("<h3>").Append(Text(section.Heading)).Append("</h3><ul>");
        foreach (var item in section.Items)
        {
            Node(sb, item);
        }

        sb.Append("</ul>");
    }

    private static void Node(StringBuilder sb, ExplanationNode node)
    {
        sb.Append("<li data-mark=\"").Append(node.Mark.ToString().ToLowerInvariant()).Append("\">");
        if (node.Mark != Mark.None)
        {
            sb.Append(DecisionRenderer.Icon(node.Mark)).Append(' ');
        }

        if (node.Label is { } label)
        {
            sb.Append("<strong>").Append(Text(label)).Append("</strong>: ");
        }

        sb.Append(Text(node.Text));
        if (node.Children.Count > 0)
        {
            sb.Append("<ul>");
            foreach (var child in node.Children)
            {
                Node(sb, child);
            }

            sb.Append("</ul>");
        }

        sb.Append("</li>");
    }

    private static void Findings(StringBuilder sb, RiskReport risk, DetailsPageModel model)
    {
        sb.Append("<section id=\"findings\"><h2>Findings</h2><p class=\"meta\">Risk ").Append(Text(DecisionRenderer.Name(risk.Level)))
            .Append(" (score ").Append(risk.Score.ToString("0.##", CultureInfo.InvariantCulture)).Append(")</p>");
        if (risk.Findings.Count == 0)
        {
            sb.Append("<p>No findings.</p>");
        }

        foreach (var f in risk.Findings)
        {
            sb.Append("<div class=\"finding\" data-rule=\"").Append(Text(f.RuleId)).Append("\"><p><strong>").Append(Text(f.RuleId)).Append(' ')
                .Append(Text(DecisionRenderer.Name(f.Severity))).Append("</strong>: ").Append(Text(f.Title)).Append("</p><p class=\"meta\"><code>")
                .Append(Text($"{f.Path}:{f.StartLine.ToString(CultureInfo.InvariantCulture)}")).Append("</code> (").Append(Text(f.Category))
                .Append(f.Side == Side.Base ? ", removed" : "").Append(")</p><p>").Append(Text(f.Message)).Append("</p>");
            Excerpt(sb, f, model);
            sb.Append("</div>");
        }

        sb.Append("</section>");
    }

    /// <summary>The lines around a finding from the recorded file content when it is still held, else the finding's own code.</summary>
    private static void Excerpt(StringBuilder sb, Finding f, DetailsPageModel model)
    {
        var content = model.Evaluation?.Contents.FirstOrDefault(c => c.Path == f.Path && c.Side == f.Side);
        if (content is not null && f.StartLine > 0 && model.Excerpts.TryGetValue(content.Sha256, out var bytes))
        {
            var lines = Encoding.UTF8.GetString(bytes).ReplaceLineEndings("\n").Split('\n');
            var end = Math.Max(f.EndLine, f.StartLine);
            var first = Math.Max(1, f.StartLine - ContextLines);
            var last = Math.Min(Math.Min(lines.Length, end + ContextLines), first + MaxExcerptLines - 1);
            if (first <= last)
            {
                sb.Append("<pre><code>");
                var width = last.ToString(CultureInfo.InvariantCulture).Length;
                for (var n = first; n <= last; n++)
                {
                    var hit = n >= f.StartLine && n <= end;
                    sb.Append(hit ? "<span class=\"hit\">" : "").Append("<span class=\"ln\">").Append(n.ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("</span> ")
                        .Append(Text(lines[n - 1])).Append(hit ? "</span>" : "").Append('\n');
                }

                sb.Append("</code></pre>");
                return;
            }
        }

        if (!string.IsNullOrEmpty(f.Code))
        {
            sb.Append("<pre><code>").Append(Text(f.Code)).Append("</code></pre>");
        }
    }

    private static void Timeline(StringBuilder sb, IReadOnlyList<AuditRecord> records)
    {
        sb.Append("<section id=\"timeline\"><h2>Timeline</h2><ol reversed>");
        foreach (var r in records)
        {
            sb.Append("<li><strong>").Append(Text(When(r.Time))).Append("</strong> · head <code>").Append(Text(Short(r.HeadSha))).Append("</code>");
            if (r.Event is { } e)
            {
                sb.Append(" · ").Append(Text(e));
            }

            if (r.Error is { } error)
            {
                sb.Append(" · <span class=\"error\">failed: ").Append(Text(error)).Append("</span>");
            }
            else if (r.Decision is { } d)
            {
                sb.Append(" · ").Append(DecisionRenderer.Icon(DecisionRenderer.StateMark(d))).Append(' ').Append(Text(d.Title));
            }

            sb.Append("</li>");
        }

        sb.Append("</ol></section>");
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
