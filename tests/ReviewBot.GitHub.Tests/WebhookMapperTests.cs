using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.GitHub.Tests;

public sealed class WebhookMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static Task<WebhookMapping> Map(string evt, byte[] body, GitHubOptions? options = null, string delivery = "d-1")
    {
        var mapper = new GitHubWebhookMapper(options ?? new GitHubOptions(), new FixedTime(Now));
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-GitHub-Event"] = evt,
            ["X-GitHub-Delivery"] = delivery,
        };
        return mapper.MapAsync(headers, body).AsTask();
    }

    private static JsonElement Json(byte[] body) => JsonDocument.Parse(body).RootElement;

    [Theory]
    [InlineData("pull_request.opened.json")]
    [InlineData("pull_request.synchronize.json")]
    [InlineData("pull_request.labeled.json")]
    [InlineData("pull_request.ready_for_review.with-installation.json")]
    [InlineData("pull_request_review.submitted.json")]
    [InlineData("pull_request_review.dismissed.json")]
    public async Task Pull_request_and_review_fixtures_queue_their_pull_request_at_its_head(string file)
    {
        var (evt, body) = Payloads.Fixture(file);
        var json = Json(body);

        var mapping = await Map(evt, body, delivery: "delivery-42");

        Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
        var request = Assert.Single(mapping.Requests);
        Assert.Equal(Platform.GitHub, request.Platform);
        Assert.Equal(json.GetProperty("repository").GetProperty("full_name").GetString(), request.Repository);
        Assert.Equal(json.GetProperty("pull_request").GetProperty("number").GetInt64(), request.Number);
        Assert.Equal(json.GetProperty("pull_request").GetProperty("head").GetProperty("sha").GetString(), request.HeadSha);
        Assert.Equal(json.GetProperty("installation").GetProperty("id").GetInt64(), request.InstallationId);
        Assert.Equal($"{evt}.{json.GetProperty("action").GetString()}", request.Event);
        Assert.Equal("delivery-42", request.DeliveryId);
        Assert.Equal(Now, request.ReceivedAt);
    }

    [Fact]
    public async Task Completed_check_run_of_another_app_queues_the_pull_requests_it_lists()
    {
        var (evt, body) = Payloads.Fixture("check_run.completed.json");

        var mapping = await Map(evt, body);

        var request = Assert.Single(mapping.Requests);
        Assert.Equal(("Codertocat/Hello-World", 2L, "ec26c3e57ca3a959ca5aad62de7213c562f8c821"), (request.Repository, request.Number, request.HeadSha));
        Assert.Equal("check_run.completed", request.Event);
    }

    [Fact]
    public async Task Completion_of_reviewbots_own_check_run_is_ignored_so_it_cannot_loop()
    {
        var (evt, body) = Payloads.Fixture("check_run.completed.json");

        var mapping = await Map(evt, body, new GitHubOptions { CheckName = "Octocoders-linter", AppId = "29310" });

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        Assert.Contains("own check run", mapping.Reason);
    }

    [Fact]
    public async Task A_check_run_of_the_same_name_from_another_app_still_counts()
    {
        var (evt, body) = Payloads.Fixture("check_run.completed.json");

        var mapping = await Map(evt, body, new GitHubOptions { CheckName = "Octocoders-linter", AppId = "1" });

        Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
    }

    [Fact]
    public async Task Requested_action_other_than_reevaluate_is_ignored_and_reevaluate_is_queued()
    {
        var (evt, body) = Payloads.Fixture("check_run.requested_action.json");
        var options = new GitHubOptions { CheckName = "API Review", AppId = "25811" };

        var other = await Map(evt, body, options);
        var node = JsonNode.Parse(body)!;
        node["requested_action"]!["identifier"] = GitHubWebhookMapper.ReevaluateAction;
        var reevaluate = await Map(evt, Encoding.UTF8.GetBytes(node.ToJsonString()), options);

        Assert.Equal(WebhookDisposition.Ignore, other.Disposition);
        var request = Assert.Single(reevaluate.Requests);
        Assert.Equal(("electron/electron", 26764L, 690857L), (request.Repository, request.Number, request.InstallationId));
    }

    [Fact]
    public async Task Rerequested_own_check_run_without_pull_requests_asks_to_resolve_its_head()
    {
        var (evt, body) = Payloads.Fixture("check_run.rerequested.json");
        var sha = Json(body).GetProperty("check_run").GetProperty("head_sha").GetString();

        var ours = await Map(evt, body, new GitHubOptions { CheckName = "randscape", AppId = "2" });
        var notOurs = await Map(evt, body);

        var request = Assert.Single(ours.Requests);
        Assert.Equal((0L, sha), (request.Number, request.HeadSha));
        Assert.Equal(WebhookDisposition.Ignore, notOurs.Disposition);
    }

    [Fact]
    public async Task Rerequested_check_suite_queues_its_pull_requests()
    {
        var (evt, body) = Payloads.Fixture("check_suite.rerequested.json");

        var mapping = await Map(evt, body);

        var request = Assert.Single(mapping.Requests);
        Assert.Equal(("Codertocat/Hello-World", 2L, 957387L), (request.Repository, request.Number, request.InstallationId));
    }

    [Fact]
    public async Task Status_asks_to_resolve_the_pull_requests_of_its_commit_and_own_status_is_ignored()
    {
        var (evt, body) = Payloads.Fixture("status.with-installation.json");
        var json = Json(body);

        var mapping = await Map(evt, body);
        var own = await Map(evt, body, new GitHubOptions { CheckName = json.GetProperty("context").GetString()! });

        var request = Assert.Single(mapping.Requests);
        Assert.Equal((0L, json.GetProperty("sha").GetString()), (request.Number, request.HeadSha));
        Assert.Equal(WebhookDisposition.Ignore, own.Disposition);
    }

    [Fact]
    public async Task Installation_created_queues_every_listed_repository()
    {
        var (evt, body) = Payloads.Fixture("installation.created.json");

        var mapping = await Map(evt, body);

        var request = Assert.Single(mapping.Requests);
        Assert.Equal(("Codertocat/Hello-World", 0L, null, 957387L), (request.Repository, request.Number, request.HeadSha, request.InstallationId));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{} {}")]
    [InlineData("")]
    public async Task Malformed_json_is_invalid(string body)
    {
        var mapping = await Map("pull_request", Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookDisposition.Invalid, mapping.Disposition);
    }

    [Fact]
    public async Task A_json_object_of_the_wrong_shape_is_invalid_not_a_crash()
    {
        var mapping = await Map("pull_request", """{"action":"opened","pull_request":"not an object","repository":7}"""u8.ToArray());

        Assert.Equal(WebhookDisposition.Invalid, mapping.Disposition);
    }

    [Fact]
    public async Task A_pull_request_hook_takes_its_fields_from_their_own_places_not_from_nested_objects_with_the_same_names()
    {
        var mapping = await Map("pull_request", """
            {"pull_request":{"base":{"sha":"base-sha","number":99,"head":{"sha":"not-this"}},"head":{"label":"x","repo":{"full_name":"fork/x","id":3},"sha":"head-sha"},"number":12},
             "action":"synchronize","sender":{"id":1,"number":5},"repository":{"owner":{"full_name":"not/this"},"full_name":"acme/api"},
             "installation":{"account":{"id":5},"id":42},"number":12}
            """u8.ToArray());

        var request = Assert.Single(mapping.Requests);
        Assert.Equal(("acme/api", 12L, "head-sha", 42L), (request.Repository, request.Number, request.HeadSha, request.InstallationId));
        Assert.Equal("pull_request.synchronize", mapping.Event);
    }

    [Theory]
    [InlineData("""{"action":"opened","number":"12","pull_request":{"number":12},"repository":{"full_name":"acme/api"}}""")]
    [InlineData("""{"action":7,"pull_request":{"number":12},"repository":{"full_name":"acme/api"}}""")]
    [InlineData("""{"action":"opened","pull_request":{"number":12,"head":{"sha":"abc"}},"repository":{"full_name":"acme/api"}} []""")]
    [InlineData("""{"action":"opened","pull_request":{"number":12,"head":{"sha":"abc"},"body":"unterminated}""")]
    public async Task A_pull_request_hook_with_a_field_of_the_wrong_type_or_broken_json_is_invalid(string body)
    {
        var mapping = await Map("pull_request", Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookDisposition.Invalid, mapping.Disposition);
        Assert.Empty(mapping.Requests);
    }

    [Fact]
    public async Task A_reviewbot_command_in_a_pull_request_comment_queues_the_pull_request_and_other_comments_are_ignored()
    {
        var (evt, body) = Payloads.Fixture("issue_comment.created.json");
        var chat = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        chat["comment"]!["body"] = "Looks good, thanks";
        var issue = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        issue["issue"]!.AsObject().Remove("pull_request");

        var command = await Map(evt, body);
        var plain = await Map(evt, System.Text.Encoding.UTF8.GetBytes(chat.ToJsonString()));
        var onIssue = await Map(evt, System.Text.Encoding.UTF8.GetBytes(issue.ToJsonString()));

        var request = Assert.Single(command.Requests);
        Assert.Equal(("Codertocat/Hello-World", 2L, null, "issue_comment.created"), (request.Repository, request.Number, request.HeadSha, request.Event));
        Assert.Equal((WebhookDisposition.Ignore, "comment is not a /reviewbot command"), (plain.Disposition, plain.Reason));
        Assert.Equal((WebhookDisposition.Ignore, "comment on an issue, not on a pull request"), (onIssue.Disposition, onIssue.Reason));
    }

    private static byte[] MergeGroupExample(Action<JsonObject>? change = null)
    {
        var payload = JsonNode.Parse(Payloads.Examples().First(e => e.Event == "merge_group").Body)!.AsObject();
        change?.Invoke(payload);
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    [Fact]
    public async Task A_merge_group_asking_for_checks_queues_one_request_for_the_group_at_its_head()
    {
        var mapping = await Map("merge_group", MergeGroupExample(), delivery: "mg-1");

        Assert.Equal((WebhookDisposition.Queue, "merge_group.checks_requested"), (mapping.Disposition, mapping.Event));
        var request = Assert.Single(mapping.Requests);
        Assert.Equal(("octo-org/octo-repo", 0L, "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", 1L), (request.Repository, request.Number, request.HeadSha, request.InstallationId));
        Assert.Equal(
            new Pipeline.Ports.MergeGroupRef
            {
                HeadRef = "refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64",
                BaseRef = "refs/heads/main",
                BaseSha = "380387fbc80638b734a49e1be1c4dfec1c01b33c",
            },
            request.MergeGroup);
        Assert.Equal("github:octo-org/octo-repo@merge-group:2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", request.PullRequestKey);
    }

    [Theory]
    [InlineData("merged")]
    [InlineData("dequeued")]
    [InlineData("invalidated")]
    public async Task A_destroyed_merge_group_queues_its_end_with_the_reason(string reason)
    {
        var mapping = await Map("merge_group", MergeGroupExample(p =>
        {
            p["action"] = "destroyed";
            p["reason"] = reason;
        }));

        Assert.Equal(reason, Assert.Single(mapping.Requests).MergeGroup!.Ended);
    }

    [Fact]
    public async Task A_merge_group_without_its_head_is_invalid()
    {
        var headless = await Map("merge_group", MergeGroupExample(p => p["merge_group"]!.AsObject().Remove("head_sha")));

        Assert.Equal(WebhookDisposition.Invalid, headless.Disposition);
        Assert.Empty(headless.Requests);
    }

    [Fact]
    public async Task Unknown_events_are_ignored()
    {
        var mapping = await Map("made_up_event", """{"action":"x"}"""u8.ToArray());

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        Assert.Empty(mapping.Requests);
    }

    public static TheoryData<string, int> ExampleCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var (evt, index, _) in Payloads.Examples())
        {
            data.Add(evt, index);
        }

        return data;
    }

    private static readonly Dictionary<string, HashSet<string>> Evaluated = new()
    {
        ["pull_request"] = ["opened", "synchronize", "reopened", "edited", "ready_for_review", "labeled", "unlabeled"],
        ["pull_request_review"] = ["submitted", "edited", "dismissed"],
        ["check_suite"] = ["completed", "rerequested"],
        ["installation"] = ["created", "new_permissions_accepted", "unsuspend"],
        ["merge_group"] = ["checks_requested", "destroyed"],
    };

    /// <summary>Every example payload of every event GitHub documents parses, and maps as the event table says.</summary>
    [Theory]
    [MemberData(nameof(ExampleCases))]
    public async Task Every_octokit_webhook_example_maps_without_error(string evt, int index)
    {
        var body = Payloads.Examples().First(e => e.Event == evt && e.Index == index).Body;
        var json = Json(body);
        var action = json.TryGetProperty("action", out var a) ? a.GetString() : null;

        var mapping = await Map(evt, body);

        Assert.NotEqual(WebhookDisposition.Invalid, mapping.Disposition);
        if (Evaluated.TryGetValue(evt, out var actions))
        {
            var expectQueue = actions.Contains(action ?? "")
                && (evt != "installation" || json.TryGetProperty("repositories", out var repos) && repos.GetArrayLength() > 0);
            Assert.Equal(expectQueue ? WebhookDisposition.Queue : WebhookDisposition.Ignore, mapping.Disposition);
        }
        else if (evt is "status")
        {
            Assert.Equal(json.GetProperty("sha").GetString(), Assert.Single(mapping.Requests).HeadSha);
        }
        else if (evt is not "check_run")
        {
            Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        }

        if (evt is "pull_request" or "pull_request_review" && mapping.Disposition == WebhookDisposition.Queue)
        {
            var request = Assert.Single(mapping.Requests);
            Assert.Equal(json.GetProperty("pull_request").GetProperty("number").GetInt64(), request.Number);
            Assert.Equal(json.GetProperty("pull_request").GetProperty("head").GetProperty("sha").GetString(), request.HeadSha);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
