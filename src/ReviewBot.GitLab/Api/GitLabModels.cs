using System.Text.Json.Serialization;

namespace ReviewBot.GitLab.Api;

// GitLab REST v4 shapes, only the fields ReviewBot reads. Property names map to snake_case through GitLabJsonContext.

public sealed record GlUser
{
    public long Id { get; init; }
    public string? Username { get; init; }
    public string? Name { get; init; }
    public string? State { get; init; }
    public bool? Bot { get; init; }
    public string? WebUrl { get; init; }

    /// <summary>The email the user made public (the only email a non-admin token can search by).</summary>
    public string? PublicEmail { get; init; }
}

public sealed record GlMember
{
    public long Id { get; init; }
    public string? Username { get; init; }
    public string? Name { get; init; }
    public string? State { get; init; }
    public int AccessLevel { get; init; }
}

public sealed record GlDiffRefs
{
    public string? BaseSha { get; init; }
    public string? HeadSha { get; init; }
    public string? StartSha { get; init; }
}

public sealed record GlMergeRequest
{
    public long Id { get; init; }
    public long Iid { get; init; }
    public long ProjectId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? State { get; init; }
    public bool Draft { get; init; }
    public string? SourceBranch { get; init; }
    public string? TargetBranch { get; init; }
    public long? SourceProjectId { get; init; }
    public long? TargetProjectId { get; init; }
    public string? Sha { get; init; }
    public GlUser? Author { get; init; }
    public IReadOnlyList<GlUser>? Assignees { get; init; }
    public IReadOnlyList<GlUser>? Reviewers { get; init; }
    public IReadOnlyList<string>? Labels { get; init; }
    public GlDiffRefs? DiffRefs { get; init; }
    public string? WebUrl { get; init; }

    /// <summary>The merge request's own pipeline: the latest pipeline for its head (a merge request pipeline or the source branch's).</summary>
    public GlPipeline? HeadPipeline { get; init; }
}

public sealed record GlCommit
{
    public string Id { get; init; } = "";
    public string? Title { get; init; }
    public string? Message { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public DateTimeOffset? AuthoredDate { get; init; }
    public string? CommitterName { get; init; }
    public string? CommitterEmail { get; init; }
    public DateTimeOffset? CommittedDate { get; init; }
    public IReadOnlyList<string>? ParentIds { get; init; }
}

public sealed record GlDiff
{
    public string? OldPath { get; init; }
    public string? NewPath { get; init; }
    public string? AMode { get; init; }
    public string? BMode { get; init; }
    public string? Diff { get; init; }
    public bool NewFile { get; init; }
    public bool RenamedFile { get; init; }
    public bool DeletedFile { get; init; }
    public bool? TooLarge { get; init; }
    public bool? Collapsed { get; init; }
}

public sealed record GlMergeRequestVersion
{
    public long Id { get; init; }
    public string? HeadCommitSha { get; init; }
    public string? BaseCommitSha { get; init; }
    public string? StartCommitSha { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? State { get; init; }

    /// <summary>The version's diff against its merge base (only when one version is read).</summary>
    public IReadOnlyList<GlDiff>? Diffs { get; init; }
}

public sealed record GlApprovedBy
{
    public GlUser? User { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
}

public sealed record GlApprovals
{
    public bool? Approved { get; init; }
    public int? ApprovalsRequired { get; init; }
    public int? ApprovalsLeft { get; init; }
    public IReadOnlyList<GlApprovedBy>? ApprovedBy { get; init; }
}

public sealed record GlGroupRef
{
    public long Id { get; init; }
    public string? FullPath { get; init; }
    public string? Name { get; init; }
}

public sealed record GlApprovalRule
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? RuleType { get; init; }
    public int ApprovalsRequired { get; init; }
    public IReadOnlyList<GlUser>? Users { get; init; }
    public IReadOnlyList<GlUser>? EligibleApprovers { get; init; }
    public IReadOnlyList<GlGroupRef>? Groups { get; init; }
    public IReadOnlyList<GlUser>? ApprovedBy { get; init; }
    public bool? Approved { get; init; }
}

public sealed record GlApprovalState
{
    public bool? ApprovalRulesOverwritten { get; init; }
    public IReadOnlyList<GlApprovalRule>? Rules { get; init; }
}

/// <summary>Body of POST/PUT <c>…/approval_rules</c>.</summary>
public sealed record GlApprovalRuleWrite
{
    public required string Name { get; init; }
    public required int ApprovalsRequired { get; init; }
    public IReadOnlyList<string> Usernames { get; init; } = [];
    public IReadOnlyList<long> GroupIds { get; init; } = [];
}

public sealed record GlPipeline
{
    public long Id { get; init; }
    public long? Iid { get; init; }

    /// <summary>The project the pipeline ran in (a fork's, for a merge request from a fork).</summary>
    public long? ProjectId { get; init; }
    public string? Sha { get; init; }
    public string? Ref { get; init; }
    public string? Status { get; init; }
    public string? Source { get; init; }
    public string? WebUrl { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

public sealed record GlCommitStatus
{
    public long Id { get; init; }
    public string? Sha { get; init; }
    public string? Ref { get; init; }
    public string? Status { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? TargetUrl { get; init; }
    public bool? AllowFailure { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The pipeline the status (a CI job or an external status) belongs to.</summary>
    public long? PipelineId { get; init; }
}

/// <summary>A CI job of a pipeline (<c>GET /projects/:id/pipelines/:pipeline_id/jobs</c>). Its id is the id the same job has among the commit's statuses; an external status posted through the API is never a job.</summary>
public sealed record GlJob
{
    public long Id { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
}

/// <summary>Body of POST <c>/projects/:id/statuses/:sha</c>.</summary>
public sealed record GlCommitStatusWrite
{
    public required string State { get; init; }
    public required string Name { get; init; }
    public string? Ref { get; init; }
    public string? Description { get; init; }
    public string? TargetUrl { get; init; }
}

public sealed record GlNote
{
    public long Id { get; init; }
    public string? Body { get; init; }
    public GlUser? Author { get; init; }
    public bool System { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
}

public sealed record GlNoteWrite
{
    public required string Body { get; init; }
}

/// <summary>Body of PUT <c>/projects/:id/merge_requests/:iid</c> (only what ReviewBot changes).</summary>
public sealed record GlMergeRequestUpdate
{
    public string? AddLabels { get; init; }

    /// <summary>The complete reviewer list (GitLab replaces it).</summary>
    public IReadOnlyList<long>? ReviewerIds { get; init; }
}

public sealed record GlRepositoryFile
{
    public string? FilePath { get; init; }
    public string? Ref { get; init; }
    public string? BlobId { get; init; }
    public string? CommitId { get; init; }
    public string? LastCommitId { get; init; }
    public string? Encoding { get; init; }
    public string? Content { get; init; }
}

public sealed record GlGroup
{
    public long Id { get; init; }
    public string? FullPath { get; init; }
    public string? Name { get; init; }
}

public sealed record GlProject
{
    public long Id { get; init; }
    public string? PathWithNamespace { get; init; }
    public string? WebUrl { get; init; }
}

public sealed record GlError
{
    public System.Text.Json.JsonElement? Message { get; init; }
    public string? Error { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(List<GlJob>))]
[JsonSerializable(typeof(GlUser))]
[JsonSerializable(typeof(List<GlUser>))]
[JsonSerializable(typeof(GlMergeRequest))]
[JsonSerializable(typeof(List<GlMergeRequest>))]
[JsonSerializable(typeof(List<GlCommit>))]
[JsonSerializable(typeof(List<GlDiff>))]
[JsonSerializable(typeof(List<GlMergeRequestVersion>))]
[JsonSerializable(typeof(GlMergeRequestVersion))]
[JsonSerializable(typeof(GlApprovals))]
[JsonSerializable(typeof(GlApprovalState))]
[JsonSerializable(typeof(List<GlApprovalRule>))]
[JsonSerializable(typeof(GlApprovalRule))]
[JsonSerializable(typeof(GlApprovalRuleWrite))]
[JsonSerializable(typeof(List<GlPipeline>))]
[JsonSerializable(typeof(List<GlCommitStatus>))]
[JsonSerializable(typeof(GlCommitStatus))]
[JsonSerializable(typeof(GlCommitStatusWrite))]
[JsonSerializable(typeof(List<GlNote>))]
[JsonSerializable(typeof(GlNote))]
[JsonSerializable(typeof(GlNoteWrite))]
[JsonSerializable(typeof(GlMergeRequestUpdate))]
[JsonSerializable(typeof(List<GlMember>))]
[JsonSerializable(typeof(GlRepositoryFile))]
[JsonSerializable(typeof(GlGroup))]
[JsonSerializable(typeof(GlProject))]
[JsonSerializable(typeof(GlError))]
public sealed partial class GitLabJsonContext : JsonSerializerContext;
