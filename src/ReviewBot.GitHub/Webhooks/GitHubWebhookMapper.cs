using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Intake;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Webhooks;

/// <summary>
/// Turns a verified GitHub delivery (headers + raw body) into <see cref="ReviewRequest"/>s, parsing with Octokit.Webhooks.
/// A request with <see cref="ReviewRequest.Number"/> 0 names no pull request: the worker resolves the open pull requests
/// of its head SHA (status, check events from forks) or, without a head SHA, of the repository (installation).
/// </summary>
public sealed class GitHubWebhookMapper(GitHubOptions options, TimeProvider time)
{
    /// <summary>Identifier of the check run's "Re-evaluate" button.</summary>
    public const string ReevaluateAction = "reevaluate";

    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";

    private static readonly HashSet<string> PullRequestActions =
        ["opened", "synchronize", "reopened", "edited", "ready_for_review", "labeled", "unlabeled"];

    private static readonly HashSet<string> ReviewActions = ["submitted", "edited", "dismissed"];

    private static readonly HashSet<string> InstallationActions = ["created", "new_permissions_accepted", "unsuspend"];

    /// <summary>Events the App subscribes to (its manifest's <c>default_events</c>); GitHub sends <c>installation</c> to every App.</summary>
    public static IReadOnlyList<string> SubscribedEvents { get; } = ["pull_request", "pull_request_review", "check_run", "check_suite", "status", "issue_comment", "merge_group"];

    private static readonly HashSet<string> SupportedEvents = [.. SubscribedEvents, "installation"];

    public async ValueTask<WebhookMapping> MapAsync(IDictionary<string, StringValues> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var evt = headers.TryGetValue(EventHeader, out var e) ? e.ToString() : "";
        var delivery = headers.TryGetValue(DeliveryHeader, out var d) ? d.ToString() : "";
        if (string.IsNullOrWhiteSpace(evt))
        {
            return WebhookMapping.Invalid("", $"missing {EventHeader} header");
        }

        if (string.IsNullOrWhiteSpace(delivery))
        {
            return WebhookMapping.Invalid(evt, $"missing {DeliveryHeader} header");
        }

        if (evt is "pull_request" or "pull_request_review")
        {
            // Most of the traffic: read and validated in one pass.
            return MapPullRequestHook(evt, delivery, body.Span);
        }

        if (!IsJsonObject(body.Span))
        {
            return WebhookMapping.Invalid(evt, "body is not a JSON object");
        }

        if (evt == "ping")
        {
            return WebhookMapping.Ignore(evt, "pong");
        }

        if (!SupportedEvents.Contains(evt))
        {
            return WebhookMapping.Ignore(evt, $"event '{evt}' is not used by ReviewBot");
        }

        var processor = new Processor(this, delivery, time.GetUtcNow());
        try
        {
            await processor.ProcessWebhookAsync(headers, body, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return WebhookMapping.Invalid(evt, $"payload of '{evt}' does not parse: {ex.GetType().Name}");
        }

        return processor.Result ?? WebhookMapping.Ignore(evt, $"event '{evt}' carried nothing to evaluate");
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary><c>pull_request</c> and <c>pull_request_review</c>: the fields they need, read in one validating pass (<see cref="PullRequestHook.Read"/>).</summary>
    private WebhookMapping MapPullRequestHook(string kind, string delivery, ReadOnlySpan<byte> body)
    {
        PullRequestHook hook;
        try
        {
            hook = PullRequestHook.Read(body);
        }
        catch (JsonException ex)
        {
            return WebhookMapping.Invalid(kind, IsJsonObject(body) ? $"payload of '{kind}' does not parse: {ex.GetType().Name}" : "body is not a JSON object");
        }

        var evt = kind + "." + hook.Action;
        var actions = kind == "pull_request" ? PullRequestActions : ReviewActions;
        if (!actions.Contains(hook.Action ?? ""))
        {
            return WebhookMapping.Ignore(evt, $"action '{hook.Action}' does not change the decision");
        }

        if (hook.Repository?.FullName is not { Length: > 0 } repo || hook.PullRequest is not { } pr)
        {
            return WebhookMapping.Invalid(evt, $"{kind} payload without repository or pull_request");
        }

        var number = pr.Number != 0 ? pr.Number : hook.Number;
        var request = new ReviewRequest
        {
            Platform = Platform.GitHub,
            Repository = repo,
            Number = number,
            HeadSha = string.IsNullOrEmpty(pr.Head?.Sha) ? null : pr.Head.Sha,
            DeliveryId = delivery,
            Event = evt,
            InstallationId = hook.Installation?.Id,
            ReceivedAt = time.GetUtcNow(),
        };
        return WebhookMapping.Queue(evt, $"{repo}#{number}", request);
    }

    private string CheckName => options.CheckName;

    private bool IsOwnApp(long? appId)
        => appId is { } id && long.TryParse(options.AppId, out var own) && own == id;

    private bool IsOwnCheck(string? name, long? appId)
        => string.Equals(name, options.CheckName, StringComparison.Ordinal)
           && (appId is null || !long.TryParse(options.AppId, out _) || IsOwnApp(appId));

    private sealed class Processor(GitHubWebhookMapper mapper, string delivery, DateTimeOffset now) : WebhookEventProcessor
    {
        public WebhookMapping? Result { get; private set; }

        private ReviewRequest Request(WebhookEvent webhookEvent, string repository, long number, string? headSha, string evt) => new()
        {
            Platform = Platform.GitHub,
            Repository = repository,
            Number = number,
            HeadSha = string.IsNullOrEmpty(headSha) ? null : headSha,
            DeliveryId = delivery,
            Event = evt,
            InstallationId = webhookEvent.Installation?.Id,
            ReceivedAt = now,
        };

        private void Queue(string evt, string reason, params ReviewRequest[] requests)
            => Result = WebhookMapping.Queue(evt, reason, requests);

        private void Ignore(string evt, string reason) => Result = WebhookMapping.Ignore(evt, reason);

        private static string? Repo(WebhookEvent webhookEvent) => webhookEvent.Repository?.FullName;

        protected override ValueTask ProcessCheckRunWebhookAsync(WebhookHeaders headers, CheckRunEvent checkRunEvent, Octokit.Webhooks.Events.CheckRun.CheckRunAction action, CancellationToken cancellationToken)
        {
            var evt = "check_run." + checkRunEvent.Action;
            var run = checkRunEvent.CheckRun;
            var repo = Repo(checkRunEvent);
            if (repo is null || run is null)
            {
                Result = WebhookMapping.Invalid(evt, "check_run payload without repository or check_run");
                return ValueTask.CompletedTask;
            }

            var own = mapper.IsOwnCheck(run.Name, run.App?.Id);
            switch (checkRunEvent.Action)
            {
                case "completed" when own:
                    Ignore(evt, "completion of ReviewBot's own check run");
                    break;
                case "completed":
                case "rerequested" when own:
                    QueueForHead(checkRunEvent, repo, run.HeadSha, run.PullRequests?.Select(p => p.Number), evt);
                    break;
                case "requested_action" when own && checkRunEvent.RequestedAction?.Identifier == ReevaluateAction:
                    QueueForHead(checkRunEvent, repo, run.HeadSha, run.PullRequests?.Select(p => p.Number), evt);
                    break;
                case "requested_action":
                    Ignore(evt, $"requested action '{checkRunEvent.RequestedAction?.Identifier}' is not ReviewBot's");
                    break;
                default:
                    Ignore(evt, own ? $"action '{checkRunEvent.Action}' needs no evaluation" : $"check run '{run.Name}' is not ReviewBot's");
                    break;
            }

            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessCheckSuiteWebhookAsync(WebhookHeaders headers, CheckSuiteEvent checkSuiteEvent, Octokit.Webhooks.Events.CheckSuite.CheckSuiteAction action, CancellationToken cancellationToken)
        {
            var evt = "check_suite." + checkSuiteEvent.Action;
            var suite = checkSuiteEvent.CheckSuite;
            var repo = Repo(checkSuiteEvent);
            if (repo is null || suite is null)
            {
                Result = WebhookMapping.Invalid(evt, "check_suite payload without repository or check_suite");
                return ValueTask.CompletedTask;
            }

            switch (checkSuiteEvent.Action)
            {
                case "completed" when mapper.IsOwnApp(suite.App?.Id):
                    Ignore(evt, "completion of ReviewBot's own check suite");
                    break;
                case "completed":
                case "rerequested":
                    QueueForHead(checkSuiteEvent, repo, suite.HeadSha, suite.PullRequests?.Select(p => p.Number), evt);
                    break;
                default:
                    Ignore(evt, $"action '{checkSuiteEvent.Action}' needs no evaluation (pull_request events cover new pushes)");
                    break;
            }

            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessStatusWebhookAsync(WebhookHeaders headers, StatusEvent statusEvent, CancellationToken cancellationToken)
        {
            var repo = Repo(statusEvent);
            if (repo is null || string.IsNullOrEmpty(statusEvent.Sha))
            {
                Result = WebhookMapping.Invalid("status", "status payload without repository or sha");
            }
            else if (string.Equals(statusEvent.Context, mapper.CheckName, StringComparison.OrdinalIgnoreCase))
            {
                Ignore("status", "ReviewBot's own commit status");
            }
            else
            {
                QueueForHead(statusEvent, repo, statusEvent.Sha, null, "status");
            }

            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessInstallationWebhookAsync(WebhookHeaders headers, InstallationEvent installationEvent, Octokit.Webhooks.Events.Installation.InstallationAction action, CancellationToken cancellationToken)
        {
            var evt = "installation." + installationEvent.Action;
            if (!InstallationActions.Contains(installationEvent.Action ?? ""))
            {
                Ignore(evt, $"action '{installationEvent.Action}' needs no evaluation");
                return ValueTask.CompletedTask;
            }

            var requests = (installationEvent.Repositories ?? [])
                .Where(r => !string.IsNullOrEmpty(r.FullName))
                .Select(r => Request(installationEvent, r.FullName, 0, null, evt) with { InstallationId = installationEvent.Installation?.Id })
                .ToArray();
            if (requests.Length == 0)
            {
                Ignore(evt, "installation lists no repositories");
            }
            else
            {
                Queue(evt, $"open pull requests of {requests.Length} repositories", requests);
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>
        /// A new comment on a pull request that starts with <c>/reviewbot</c>: evaluate the pull request. The payload only
        /// triggers; the evaluation reads the comment (and its author) back from GitHub's API, never from this payload.
        /// </summary>
        protected override ValueTask ProcessIssueCommentWebhookAsync(WebhookHeaders headers, IssueCommentEvent issueCommentEvent, Octokit.Webhooks.Events.IssueComment.IssueCommentAction action, CancellationToken cancellationToken)
        {
            var evt = "issue_comment." + issueCommentEvent.Action;
            var repo = Repo(issueCommentEvent);
            if (repo is null || issueCommentEvent.Issue is not { } issue || issueCommentEvent.Comment is not { } comment)
            {
                Result = WebhookMapping.Invalid(evt, "issue_comment payload without repository, issue or comment");
            }
            else if (issueCommentEvent.Action != "created")
            {
                Ignore(evt, $"action '{issueCommentEvent.Action}' needs no evaluation (commands are read when written)");
            }
            else if (issue.PullRequest is null)
            {
                Ignore(evt, "comment on an issue, not on a pull request");
            }
            else if (!Core.Policy.ReviewBotCommand.IsCommand(comment.Body))
            {
                Ignore(evt, "comment is not a /reviewbot command");
            }
            else
            {
                Queue(evt, $"{repo}#{issue.Number}", Request(issueCommentEvent, repo, issue.Number, null, evt));
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>
        /// A merge queue asks for the checks of a group (<c>checks_requested</c>): one request for the group, decided from
        /// its pull requests' decisions. <c>destroyed</c> (merged, dequeued, invalidated) ends the group, so its pull
        /// requests' later decisions no longer touch it.
        /// </summary>
        protected override ValueTask ProcessMergeGroupWebhookAsync(WebhookHeaders headers, MergeGroupEvent mergeGroupEvent, Octokit.Webhooks.Events.MergeGroup.MergeGroupAction action, CancellationToken cancellationToken)
        {
            var evt = "merge_group." + mergeGroupEvent.Action;
            var repo = Repo(mergeGroupEvent);
            var group = mergeGroupEvent.MergeGroup;
            if (repo is null || group is null || string.IsNullOrEmpty(group.HeadSha) || string.IsNullOrEmpty(group.HeadRef) || string.IsNullOrEmpty(group.BaseSha))
            {
                Result = WebhookMapping.Invalid(evt, "merge_group payload without repository, head_sha, head_ref or base_sha");
                return ValueTask.CompletedTask;
            }

            string? ended = null;
            if (mergeGroupEvent.Action == "destroyed")
            {
                ended = mergeGroupEvent is Octokit.Webhooks.Events.MergeGroup.MergeGroupDestroyedEvent { Reason: { } reason } ? reason.ToString() : "destroyed";
            }
            else if (mergeGroupEvent.Action != "checks_requested")
            {
                Ignore(evt, $"action '{mergeGroupEvent.Action}' needs no evaluation");
                return ValueTask.CompletedTask;
            }

            var request = Request(mergeGroupEvent, repo, 0, group.HeadSha, evt) with
            {
                MergeGroup = new MergeGroupRef { HeadRef = group.HeadRef, BaseRef = group.BaseRef ?? "", BaseSha = group.BaseSha, Ended = ended },
            };
            Queue(evt, $"merge group {repo}@{group.HeadSha}", request);
            return ValueTask.CompletedTask;
        }

        private void QueueForHead(WebhookEvent webhookEvent, string repo, string? headSha, IEnumerable<long>? numbers, string evt)
        {
            var list = numbers?.Where(n => n > 0).Distinct().ToArray() ?? [];
            if (list.Length > 0)
            {
                Queue(evt, string.Join(", ", list.Select(n => $"{repo}#{n}")), [.. list.Select(n => Request(webhookEvent, repo, n, headSha, evt))]);
            }
            else if (!string.IsNullOrEmpty(headSha))
            {
                Queue(evt, $"open pull requests of {repo} at {headSha}", Request(webhookEvent, repo, 0, headSha, evt));
            }
            else
            {
                Ignore(evt, "no pull request and no head SHA in the payload");
            }
        }
    }
}
