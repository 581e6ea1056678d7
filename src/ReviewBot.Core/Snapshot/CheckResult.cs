namespace ReviewBot.Core.Snapshot;

public enum CheckStatus
{
    Queued,
    InProgress,
    Completed,
}

public enum CheckConclusion
{
    Success,
    Failure,
    Neutral,
    Cancelled,
    Skipped,
    TimedOut,
    ActionRequired,
    Stale,
}

/// <summary>A check run, a commit status or a pipeline job of the head commit, normalised.</summary>
public sealed record CheckResult
{
    public required string Name { get; init; }
    public required CheckStatus Status { get; init; }
    public CheckConclusion? Conclusion { get; init; }

    /// <summary>The app or integration that reported it (GitHub App slug, "status", "gitlab-ci").</summary>
    public string? Source { get; init; }

    public string? DetailsUrl { get; init; }

    /// <summary>When the check last changed (completed, else started), when the platform says. Among checks
    /// of the same name the latest counts; without times, the later one in the list.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    public bool IsSuccessful => Status == CheckStatus.Completed
        && Conclusion is CheckConclusion.Success or CheckConclusion.Neutral or CheckConclusion.Skipped;

    public bool IsFailed => Status == CheckStatus.Completed && !IsSuccessful;
}
