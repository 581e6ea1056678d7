namespace ReviewBot.Core.Risk.Rules;

/// <summary>
/// RB9001: a changed C# file the analysis could not (fully) judge. The analyzer reports it itself, never a rule
/// walk: past a budget (size, estimated nesting, nodes visited, symbol sets, the wall-clock backstop), on content
/// that does not decode as text, or on an analyzer error. What was not analysed gates, it is never a silent note.
/// </summary>
public sealed class NotAnalysableRule : IRiskRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB9001", RiskCategories.Analysis, Severity.High, "File not analysable",
        "The file's changes could not be analysed within the analysis budgets (max_file_bytes, max_nesting, max_file_nodes, max_change_nodes, max_symbol_sets, the max_analysis_seconds backstop), or its content is not text, or the analyzer failed on it. The change under review controls the file, so a file that defeats the analysis is treated as risky in itself: review it by hand.");
}
