namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// The limits one analysis runs under, from the risk thresholds. All but the wall clock count things (bytes, estimated
/// nesting, nodes visited, symbol sets), so a replay of the same snapshot reaches the same verdict on any machine; the
/// wall clock is a backstop whose firing is recorded in the report.
/// </summary>
internal sealed class AnalysisBudget(RiskThresholds thresholds)
{
    /// <summary>Bytes of one side of a file (<c>max_file_bytes</c>).</summary>
    public long FileBytes { get; } = (long)thresholds["max_file_bytes"];

    /// <summary>Estimated nesting depth of one side, checked before parsing (<c>max_nesting</c>).</summary>
    public int Nesting { get; } = (int)thresholds["max_nesting"];

    /// <summary>Syntax nodes visited in one file, both sides (<c>max_file_nodes</c>).</summary>
    public long FileNodes { get; } = (long)thresholds["max_file_nodes"];

    /// <summary>Syntax nodes visited in the whole change (<c>max_change_nodes</c>).</summary>
    public long ChangeNodes { get; } = (long)thresholds["max_change_nodes"];

    /// <summary>Preprocessor symbol sets a file with <c>#if</c> is parsed under besides the default (<c>max_symbol_sets</c>).</summary>
    public int SymbolSets { get; } = (int)thresholds["max_symbol_sets"];

    /// <summary>The backstop for the whole analysis (<c>max_analysis_seconds</c>).</summary>
    public TimeSpan WallClock { get; } = TimeSpan.FromSeconds(thresholds["max_analysis_seconds"]);
}

/// <summary>A counted budget ran out while walking a file; <see cref="Evaluation"/> when it was the whole change's.</summary>
internal sealed class BudgetExceededException(string message, bool evaluation) : Exception(message)
{
    public bool Evaluation { get; } = evaluation;
}
