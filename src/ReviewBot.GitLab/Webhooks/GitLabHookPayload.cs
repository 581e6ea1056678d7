using System.Text.Json.Serialization;

namespace ReviewBot.GitLab.Webhooks;

// Webhook bodies (Merge Request Hook, Note Hook, Pipeline Hook): only the fields ReviewBot reads.
// object_attributes differs per event kind, so it is one tolerant record with every field optional.
// Timestamps are not read (webhooks use "2015-05-17 18:21:36 UTC", which is not ISO 8601).

public sealed record GlHook
{
    public string? ObjectKind { get; init; }
    public string? EventType { get; init; }
    public GlHookUser? User { get; init; }
    public GlHookProject? Project { get; init; }
    public GlHookAttributes? ObjectAttributes { get; init; }

    /// <summary>The merge request of a Note Hook or a Pipeline Hook.</summary>
    public GlHookMergeRequest? MergeRequest { get; init; }

    /// <summary>Pipeline Hook: the pipeline's commit.</summary>
    public GlHookCommit? Commit { get; init; }
}

public sealed record GlHookUser
{
    public long? Id { get; init; }
    public string? Username { get; init; }
    public string? Name { get; init; }
}

public sealed record GlHookProject
{
    public long? Id { get; init; }
    public string? PathWithNamespace { get; init; }
    public string? WebUrl { get; init; }
}

public sealed record GlHookCommit
{
    public string? Id { get; init; }
}

public sealed record GlHookAttributes
{
    public long? Id { get; init; }
    public long? Iid { get; init; }
    public string? Action { get; init; }
    public string? State { get; init; }
    public long? TargetProjectId { get; init; }
    public GlHookCommit? LastCommit { get; init; }
    public string? Oldrev { get; init; }

    /// <summary>Note Hook: the note text and what it is attached to.</summary>
    public string? Note { get; init; }

    public string? NoteableType { get; init; }

    /// <summary>Pipeline Hook: the pipeline's SHA and status.</summary>
    public string? Sha { get; init; }

    public string? Status { get; init; }
    public bool? Tag { get; init; }

    // Not read: "source" is a project object on merge requests but a string on pipelines.
}

public sealed record GlHookMergeRequest
{
    public long? Id { get; init; }
    public long? Iid { get; init; }
    public string? State { get; init; }
    public long? TargetProjectId { get; init; }
    public string? Url { get; init; }
    public GlHookCommit? LastCommit { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GlHook))]
public sealed partial class GitLabHookJsonContext : JsonSerializerContext;
