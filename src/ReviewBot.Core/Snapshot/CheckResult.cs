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

/// <summary>What reported a check: it decides which checks a pinned requirement (<c>{ name: build, app: … }</c>) accepts.</summary>
public enum CheckOrigin
{
    /// <summary>Not recorded (a snapshot saved before origins were): satisfies no pinned requirement.</summary>
    Unknown,

    /// <summary>A GitHub check run; <see cref="CheckResult.Source"/> is the slug of the App that created it.</summary>
    CheckRun,

    /// <summary>A commit status: anyone who may post one could have (GitHub statuses carry no app; GitLab's external statuses no pipeline job).</summary>
    CommitStatus,

    /// <summary>A CI job of the merge request's own (head) pipeline, as GitLab's jobs API lists it.</summary>
    PipelineJob,

    /// <summary>A GitLab pipeline as a whole (the check named "pipeline").</summary>
    Pipeline,
}

/// <summary>A check run, a commit status or a pipeline job of the head commit, normalised.</summary>
public sealed record CheckResult
{
    public required string Name { get; init; }
    public required CheckStatus Status { get; init; }
    public CheckConclusion? Conclusion { get; init; }

    /// <summary>The app or integration that reported it (GitHub App slug, "status", "gitlab-ci").</summary>
    public string? Source { get; init; }

    /// <summary>What kind of report it is (check run, commit status, pipeline job, pipeline).</summary>
    public CheckOrigin Origin { get; init; }

    public string? DetailsUrl { get; init; }

    /// <summary>When the check last changed (completed, else started), when the platform says. Among checks
    /// of the same name the latest counts; without times, the later one in the list.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    public bool IsSuccessful => Status == CheckStatus.Completed
        && Conclusion is CheckConclusion.Success or CheckConclusion.Neutral or CheckConclusion.Skipped;

    public bool IsFailed => Status == CheckStatus.Completed && !IsSuccessful;
}
