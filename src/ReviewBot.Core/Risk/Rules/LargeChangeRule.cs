using System.Globalization;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB8002: a change too large or too spread out to review well.</summary>
public sealed class LargeChangeRule : IChangeRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB8002", RiskCategories.Size, Severity.Medium, "Large or diffuse change",
        "Review effectiveness drops sharply past a few hundred changed lines; changes spread over many files and directories with high entropy are the strongest predictors of defects (Kamei et al.). Thresholds: change_lines (400; high at change_lines_huge, 1000), change_files (20), change_directories (5).");

    public void Inspect(ChangeContext context)
    {
        var m = context.Metrics;
        var t = context.Thresholds;
        var lines = m.LinesAdded + m.LinesDeleted;
        if (lines >= t["change_lines"])
        {
            var huge = lines >= t["change_lines_huge"];
            Add(context, $"{lines} changed lines (+{m.LinesAdded} −{m.LinesDeleted}) ≥ {(huge ? "change_lines_huge" : "change_lines")} {F(t[huge ? "change_lines_huge" : "change_lines"])}",
                huge ? Severity.High : null);
        }

        if (m.Files >= t["change_files"])
        {
            Add(context, $"{m.Files} files changed ≥ change_files {F(t["change_files"])}", null);
        }

        if (m.Directories >= t["change_directories"])
        {
            Add(context, $"{m.Directories} directories touched ≥ change_directories {F(t["change_directories"])} (entropy {F(m.Entropy)})", null);
        }
    }

    private void Add(ChangeContext context, string message, Severity? severity)
        => context.Sink.Add(Descriptor, "", Side.Head, 0, 0, message, null, severity);

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}
