using System.Text.Json;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Intake;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Webhooks;

/// <summary>
/// Maps a verified GitLab delivery (<c>X-Gitlab-Event</c> + raw body) to a <see cref="ReviewRequest"/>.
/// Merge Request Hook: open, reopen, update (with or without new commits), approved, unapproved, approval,
/// unapproval of an open MR. Pipeline Hook (settled pipelines): the MR the pipeline ran for, or for a branch
/// pipeline a request with number 0 and the head SHA (the worker locates the open MRs). Note Hook: a new
/// <c>/reviewbot</c> command note on an MR (<see cref="ReviewBotCommand"/>; the evaluation reads it back from the API).
/// </summary>
public static class GitLabWebhookMapper
{
    private static readonly HashSet<string> MergeRequestActions = new(StringComparer.Ordinal)
    {
        "open", "reopen", "update", "approved", "unapproved", "approval", "unapproval",
    };

    /// <summary>
    /// The mapping of one delivery: its <see cref="WebhookMapping.Event"/> is the request's event (e.g.
    /// <c>merge_request.update.push</c>) when queued, else the <c>X-Gitlab-Event</c> header.
    /// </summary>
    public static WebhookMapping Map(string? eventHeader, ReadOnlySpan<byte> body, string deliveryId, DateTimeOffset receivedAt)
    {
        var mapping = MapHook(eventHeader, body, deliveryId, receivedAt);
        return mapping.Disposition == WebhookDisposition.Queue ? mapping : mapping with { Event = eventHeader ?? "" };
    }

    private static WebhookMapping MapHook(string? eventHeader, ReadOnlySpan<byte> body, string deliveryId, DateTimeOffset receivedAt)
    {
        GlHook? hook;
        try
        {
            hook = JsonSerializer.Deserialize(body, GitLabHookJsonContext.Default.GlHook);
        }
        catch (JsonException ex)
        {
            return Invalid($"body is not valid GitLab event JSON ({ex.Message})");
        }

        if (hook is null)
        {
            return Invalid("body is empty JSON");
        }

        return eventHeader switch
        {
            "Merge Request Hook" => MapMergeRequest(hook, deliveryId, receivedAt),
            "Note Hook" => MapNote(hook, deliveryId, receivedAt),
            "Pipeline Hook" => MapPipeline(hook, deliveryId, receivedAt),
            null or "" => Invalid("missing X-Gitlab-Event header"),
            _ => Ignore($"event \"{eventHeader}\" is not used"),
        };
    }

    private static WebhookMapping Ignore(string reason) => WebhookMapping.Ignore("", reason);

    private static WebhookMapping Invalid(string reason) => WebhookMapping.Invalid("", reason);

    private static WebhookMapping MapMergeRequest(GlHook hook, string deliveryId, DateTimeOffset receivedAt)
    {
        var mr = hook.ObjectAttributes;
        if (hook.ObjectKind != "merge_request" || mr is null)
        {
            return Invalid("Merge Request Hook without object_kind merge_request and object_attributes");
        }

        var action = mr.Action ?? "";
        if (!MergeRequestActions.Contains(action))
        {
            return Ignore($"merge request action \"{action}\" needs no evaluation");
        }

        if (mr.State is { } state && state != "opened")
        {
            return Ignore($"merge request is {state}");
        }

        if (mr.Iid is not { } iid || iid <= 0 || string.IsNullOrEmpty(hook.Project?.PathWithNamespace))
        {
            return Invalid("merge request event without object_attributes.iid or project.path_with_namespace");
        }

        // The hook's project is the merge request's (target) project: its id and path belong together.
        var suffix = action == "update" ? (mr.Oldrev is { Length: > 0 } ? ".push" : ".edit") : "";
        return Enqueue(hook.Project.PathWithNamespace, hook.Project.Id ?? mr.TargetProjectId, iid, mr.LastCommit?.Id,
            $"merge_request.{action}{suffix}", deliveryId, receivedAt);
    }

    private static WebhookMapping MapNote(GlHook hook, string deliveryId, DateTimeOffset receivedAt)
    {
        var note = hook.ObjectAttributes;
        if (hook.ObjectKind != "note" || note is null)
        {
            return Invalid("Note Hook without object_kind note and object_attributes");
        }

        if (note.NoteableType != "MergeRequest")
        {
            return Ignore($"note on {note.NoteableType ?? "unknown"}, not on a merge request");
        }

        if (note.Action is { } action && action != "create")
        {
            return Ignore($"note action \"{action}\" is not a new command");
        }

        if (!ReviewBotCommand.IsCommand(note.Note))
        {
            return Ignore("note is not a /reviewbot command");
        }

        var mr = hook.MergeRequest;
        if (mr?.Iid is not { } iid || iid <= 0 || string.IsNullOrEmpty(hook.Project?.PathWithNamespace))
        {
            return Invalid("note event without merge_request.iid or project.path_with_namespace");
        }

        if (mr.State is { } state && state != "opened")
        {
            return Ignore($"merge request is {state}");
        }

        return Enqueue(hook.Project.PathWithNamespace, hook.Project.Id ?? mr.TargetProjectId, iid, mr.LastCommit?.Id,
            "note." + ReviewBotCommand.Parse(note.Note).Kind.ToString().ToLowerInvariant(), deliveryId, receivedAt);
    }

    /// <summary>Pipeline states that settle required checks; running/pending ones change nothing worth a re-evaluation.</summary>
    private static readonly HashSet<string> SettledPipelineStates = new(StringComparer.Ordinal)
    {
        "success", "failed", "canceled", "skipped", "manual",
    };

    private static WebhookMapping MapPipeline(GlHook hook, string deliveryId, DateTimeOffset receivedAt)
    {
        var pipeline = hook.ObjectAttributes;
        if (hook.ObjectKind != "pipeline" || pipeline is null)
        {
            return Invalid("Pipeline Hook without object_kind pipeline and object_attributes");
        }

        if (pipeline.Status is not { } status || !SettledPipelineStates.Contains(status))
        {
            return Ignore($"pipeline is {pipeline.Status ?? "in an unknown state"}; checks are re-read when it settles");
        }

        if (pipeline.Tag == true)
        {
            return Ignore("tag pipeline");
        }

        var sha = pipeline.Sha ?? hook.Commit?.Id;
        var mr = hook.MergeRequest;
        if (mr?.Iid is not { } iid || iid <= 0)
        {
            // A branch pipeline: the worker finds the open merge requests whose head is this SHA.
            if (string.IsNullOrEmpty(hook.Project?.PathWithNamespace) || string.IsNullOrEmpty(sha))
            {
                return Invalid("pipeline event without project.path_with_namespace or sha");
            }

            return Enqueue(hook.Project.PathWithNamespace, hook.Project.Id, 0, sha, $"pipeline.{status}", deliveryId, receivedAt);
        }

        if (mr.State is { } state && state != "opened")
        {
            return Ignore($"merge request is {state}");
        }

        // A fork's MR pipeline runs in the source project: the MR lives in the target project.
        var path = hook.Project?.PathWithNamespace;
        var projectId = mr.TargetProjectId ?? hook.Project?.Id;
        if (mr.TargetProjectId is { } target && hook.Project?.Id is { } source && target != source)
        {
            path = ProjectPathFromMergeRequestUrl(mr.Url);
        }

        if (string.IsNullOrEmpty(path))
        {
            return Invalid("pipeline event without the merge request's project path");
        }

        return Enqueue(path, projectId, iid, sha, $"pipeline.{status}", deliveryId, receivedAt);
    }

    private static WebhookMapping Enqueue(string path, long? projectId, long iid, string? headSha, string evt, string deliveryId, DateTimeOffset receivedAt)
    {
        var request = new ReviewRequest
        {
            Platform = Platform.GitLab,
            Repository = path,
            Number = iid,
            HeadSha = string.IsNullOrEmpty(headSha) ? null : headSha,
            DeliveryId = deliveryId,
            Event = evt,
            ProjectId = projectId,
            ReceivedAt = receivedAt,
        };
        return WebhookMapping.Queue(evt, iid > 0 ? $"{evt} on {path}!{iid}" : $"{evt} on {path}@{headSha}", request);
    }

    /// <summary>"https://host/group/sub/project/-/merge_requests/3" → "group/sub/project".</summary>
    public static string? ProjectPathFromMergeRequestUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = uri.AbsolutePath.Trim('/');
        var cut = path.IndexOf("/-/merge_requests/", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = path.IndexOf("/merge_requests/", StringComparison.Ordinal);
        }

        return cut > 0 ? Uri.UnescapeDataString(path[..cut]) : null;
    }
}
