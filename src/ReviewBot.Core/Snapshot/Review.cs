namespace ReviewBot.Core.Snapshot;

public enum ReviewState
{
    Approved,
    ChangesRequested,
    Commented,
    Dismissed,
    Pending,
}

public sealed record Review
{
    public required Person Reviewer { get; init; }
    public required ReviewState State { get; init; }

    /// <summary>The head commit the review was given on, when the platform says.</summary>
    public string? CommitSha { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>Platform id of the review, used to order reviews submitted in the same second.</summary>
    public long? Id { get; init; }
}
