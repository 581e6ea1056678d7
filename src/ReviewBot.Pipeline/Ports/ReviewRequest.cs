using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Ports;

/// <summary>
/// A normalised "please (re-)evaluate this pull request" produced from a verified webhook delivery.
/// Small and serialisable: it travels through the queue.
/// </summary>
public sealed record ReviewRequest
{
    public required Platform Platform { get; init; }

    /// <summary>"owner/name" on GitHub; project path on GitLab.</summary>
    public required string Repository { get; init; }

    /// <summary>PR number / MR IID.</summary>
    public required long Number { get; init; }

    /// <summary>Head SHA named by the event, when the event names one.</summary>
    public string? HeadSha { get; init; }

    /// <summary>The platform's delivery id (X-GitHub-Delivery, Idempotency-Key / X-Gitlab-Event-UUID).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Event name and action, e.g. "pull_request.synchronize".</summary>
    public required string Event { get; init; }

    /// <summary>GitHub App installation id, when the delivery carried one.</summary>
    public long? InstallationId { get; init; }

    /// <summary>GitLab numeric project id, when known.</summary>
    public long? ProjectId { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// Set when the request is about a merge group (<see cref="Number"/> 0, <see cref="HeadSha"/> the group's head):
    /// the group's check is decided from its pull requests' decisions.
    /// </summary>
    public MergeGroupRef? MergeGroup { get; init; }

    /// <summary>Stable key of the pull request: "github:owner/name#12"; of a merge group: "github:owner/name@merge-group:SHA".</summary>
    public string PullRequestKey => MergeGroup is null ? $"{Platform.Id}:{Repository}#{Number}" : $"{Platform.Id}:{Repository}@merge-group:{HeadSha}";
}
