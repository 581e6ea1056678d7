using System.Text;
using System.Text.Json;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Serialization;

namespace ReviewBot.Cli.Commands;

/// <summary>The human-readable output of <c>reviewbot classify</c>: a table of commits, then the overall verdict.</summary>
public static class ClassifyTextRenderer
{
    public static string Render(ClassifyReport report)
    {
        var text = new StringBuilder();
        text.Append($"Range {report.Range}: {Label(report.Base)} .. {Label(report.Head)}, ")
            .Append(report.Commits.Count == 1 ? "1 commit" : $"{report.Commits.Count} commits").Append('\n');
        if (report.Rules is { } rules)
        {
            text.Append($"Signals extended by the agents: section of {rules.Path} ({rules.Origin}{(rules.Revision.Length > 0 ? " " + Short(rules.Revision) : "")})\n");
        }

        if (report.Commits.Count > 0)
        {
            text.Append('\n');
            var rows = report.Commits.Select(c => new[]
            {
                Short(c.Sha), Name(c.Kind), Name(c.Confidence), c.Agents.Count == 0 ? "-" : string.Join(",", c.Agents),
                c.Initiator ?? "-", Clip(c.Subject, 60),
            }).ToList();
            string[] header = ["COMMIT", "KIND", "CONFIDENCE", "AGENTS", "INITIATOR", "SUBJECT"];
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
            AppendRow(text, header, widths);
            foreach (var (row, commit) in rows.Zip(report.Commits))
            {
                AppendRow(text, row, widths);
                foreach (var evidence in commit.Evidence)
                {
                    text.Append("    ").Append(Describe(evidence)).Append('\n');
                }
            }
        }

        var overall = report.Authorship;
        text.Append('\n').Append($"Overall: {Name(overall.Kind)} ({Name(overall.Confidence)} confidence)");
        if (overall.Agents.Count > 0)
        {
            text.Append($"; agents: {string.Join(", ", overall.Agents)}");
        }

        if (overall.Initiator is not null)
        {
            text.Append($"; initiator: {overall.Initiator}");
        }

        text.Append('\n');
        if (overall.Reason.Length > 0)
        {
            text.Append(overall.Reason).Append('\n');
        }

        var commitEvidence = report.Commits.SelectMany(c => c.Evidence).ToHashSet();
        var ownEvidence = overall.Evidence.Where(e => !commitEvidence.Contains(e)).ToList();
        if (ownEvidence.Count > 0)
        {
            text.Append("Evidence beyond the commits:\n");
            foreach (var evidence in ownEvidence)
            {
                text.Append("  ").Append(Describe(evidence)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Describe(Evidence e)
        => $"- {e.Signal} [{Name(e.Strength)}, {Name(e.Implies)}] at {e.Location}: {Clip(e.Matched, 100)}"
           + (e.Note is null ? "" : $" ({e.Note})");

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }

    /// <summary>The JSON name an enum value declares (ai-assisted, strong, ...), so text and JSON agree.</summary>
    private static string Name<T>(T value) where T : struct, Enum
        => JsonSerializer.Serialize(value, ReviewBotJson.Compact).Trim('"');

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>"main 1a2b3c4", or just the short SHA when the ref was given as a SHA.</summary>
    private static string Label(RefInfo info)
        => info.Sha.StartsWith(info.Ref, StringComparison.OrdinalIgnoreCase) ? Short(info.Sha) : $"{info.Ref} {Short(info.Sha)}";

    private static string Clip(string text, int max)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }
}
