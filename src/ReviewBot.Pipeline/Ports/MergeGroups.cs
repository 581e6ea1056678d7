using ReviewBot.Core.Decisions;

namespace ReviewBot.Pipeline.Ports;

/// <summary>
/// The merge group a <see cref="ReviewRequest"/> is about (GitHub merge queue): the request's
/// <see cref="ReviewRequest.HeadSha"/> is the group's head commit, where its check goes.
/// </summary>
public sealed record MergeGroupRef
{
    /// <summary>The group's full ref, e.g. <c>refs/heads/gh-readonly-queue/main/pr-12-&lt;sha&gt;</c> (it names the group's last pull request).</summary>
    public required string HeadRef { get; init; }

    /// <summary>The full ref of the branch the group merges into.</summary>
    public required string BaseRef { get; init; }

    /// <summary>The group's parent commit: the commits from here to the head are the group's pull requests.</summary>
    public required string BaseSha { get; init; }

    /// <summary>Why the group ended (<c>merged</c>, <c>dequeued</c>, <c>invalidated</c>), when the platform said so; null while it is queued.</summary>
    public string? Ended { get; init; }
}

/// <summary>Which pull requests a merge group holds, and the parts of it that belong to none (named, so the check can say what is unknown).</summary>
public sealed record MergeGroupContents(IReadOnlyList<MergeGroupEntry> Entries, IReadOnlyList<string> Unknown);

/// <summary>One pull request of a group, with the head the merge queue took.</summary>
public sealed record MergeGroupEntry(long Number, string HeadSha);

/// <summary>What the audit log keeps of one evaluation of a merge group (its record has <see cref="AuditRecord.Number"/> 0).</summary>
public sealed record MergeGroupAudit
{
    public required MergeGroupRef Group { get; init; }
    public required MergeGroupState State { get; init; }
    public required string Title { get; init; }
    public IReadOnlyList<MergeGroupMember> Members { get; init; } = [];
    public IReadOnlyList<string> Unknown { get; init; } = [];
}

/// <summary>
/// Optional companion of <see cref="IPlatformSessionFactory"/> for platforms with merge groups: finds the pull requests
/// of a group and reports the group's verdict on its head commit (GitHub: the check run; a pending group's run stays in
/// progress). Errors throw; the pipeline retries transient ones and otherwise fails the group closed.
/// </summary>
public interface IMergeGroupPlatform
{
    Task<MergeGroupContents> FindContentsAsync(ReviewRequest group, CancellationToken cancellationToken = default);

    /// <summary>Reports the verdict on the group's head; returns one line for the audit log.</summary>
    Task<string> ReportAsync(ReviewRequest group, MergeGroupVerdict verdict, string? detailsUrl, CancellationToken cancellationToken = default);
}
