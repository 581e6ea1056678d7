using ReviewBot.Core.Policy;
using System.Text;
using System.Text.Json.Nodes;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Webhooks;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.GitLab.Tests;

public sealed class WebhookMappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("woodpecker.HookPullRequestOpened.json", "demoaccount2-commits-group/test_ci_tmp", 72081820L, 3L, "2f7670508b771e7e77839402be8b34b13787aba8", "merge_request.open")]
    [InlineData("woodpecker.HookPullRequestUpdated.json", "anbraten/woodpecker", 32059612L, 3L, "c136499ec574e1034b24c5d306de9acda3005367", "merge_request.update.push")]
    [InlineData("woodpecker.HookPullRequestWithoutChanges.json", "anbraten/woodpecker", 32059612L, 3L, "c136499ec574e1034b24c5d306de9acda3005367", "merge_request.update.edit")]
    [InlineData("woodpecker.HookPullRequestEdited.json", "demoaccount2-commits-group/test_ci_tmp", 72081820L, 3L, "2f7670508b771e7e77839402be8b34b13787aba8", "merge_request.update.edit")]
    [InlineData("woodpecker.HookPullRequestLabelsAdded.json", "demoaccount2-commits-group/test_ci_tmp", 72081820L, 3L, "2f7670508b771e7e77839402be8b34b13787aba8", "merge_request.update.edit")]
    [InlineData("woodpecker.HookPullRequestReviewRequested.json", "demoaccount2-commits-group/test_ci_tmp", 72081820L, 3L, "2f7670508b771e7e77839402be8b34b13787aba8", "merge_request.update.edit")]
    [InlineData("woodpecker.HookPullRequestApproved.json", "anbraten/woodpecker", 32059612L, 3L, "c136499ec574e1034b24c5d306de9acda3005367", "merge_request.approved")]
    [InlineData("woodpecker.HookPullRequestUnapproved.json", "demoaccount2-commits-group/test_ci_tmp", 72081820L, 3L, "2f7670508b771e7e77839402be8b34b13787aba8", "merge_request.unapproved")]
    [InlineData("gitlab-docs.merge_request_hook.json", "gitlabhq/gitlab-test", 1L, 1L, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "merge_request.open")]
    [InlineData("go-gitlab.merge_request.json", "gitlabhq/gitlab-test", 1L, 1L, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "merge_request.open")]
    public void Merge_request_hooks_map_to_review_requests(string file, string repository, long projectId, long iid, string sha, string evt)
    {
        var mapping = GitLabWebhookMapper.Map("Merge Request Hook", Fixtures.GitLab(file), "delivery-1", Now);

        Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
        var request = Assert.Single(mapping.Requests);
        Assert.Equal(Platform.GitLab, request.Platform);
        Assert.Equal(repository, request.Repository);
        Assert.Equal(projectId, request.ProjectId);
        Assert.Equal(iid, request.Number);
        Assert.Equal(sha, request.HeadSha);
        Assert.Equal(evt, request.Event);
        Assert.Equal("delivery-1", request.DeliveryId);
        Assert.Equal(Now, request.ReceivedAt);
        Assert.Equal($"gitlab:{repository}#{iid}", request.PullRequestKey);
    }

    [Theory]
    [InlineData("woodpecker.HookPullRequestMerged.json", "merge request action \"merge\" needs no evaluation")]
    [InlineData("woodpecker.HookPullRequestClosed.json", "merge request action \"close\" needs no evaluation")]
    [InlineData("go-gitlab.group_merge_request.json", "merge request action \"merge\" needs no evaluation")]
    public void Closed_and_merged_requests_are_ignored_with_a_reason(string file, string reason)
    {
        var mapping = GitLabWebhookMapper.Map("Merge Request Hook", Fixtures.GitLab(file), "d", Now);

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        Assert.Equal(reason, mapping.Reason);
        Assert.Empty(mapping.Requests);
    }

    [Fact]
    public void Reopen_and_approval_actions_are_evaluated()
    {
        foreach (var action in new[] { "reopen", "approval", "unapproval" })
        {
            var body = WithAttribute("woodpecker.HookPullRequestOpened.json", "action", action);
            var mapping = GitLabWebhookMapper.Map("Merge Request Hook", body, "d", Now);
            Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
            Assert.Equal($"merge_request.{action}", mapping.Requests[0].Event);
        }
    }

    [Fact]
    public void A_plain_note_is_ignored_and_a_recheck_note_is_evaluated()
    {
        var plain = GitLabWebhookMapper.Map("Note Hook", Fixtures.GitLab("go-gitlab.note_merge_request.json"), "d", Now);
        Assert.Equal(WebhookDisposition.Ignore, plain.Disposition);
        Assert.Equal("note is not a /reviewbot command", plain.Reason);

        var body = WithAttribute("go-gitlab.note_merge_request.json", "note", "Thanks!\n/reviewbot recheck please");
        var recheck = GitLabWebhookMapper.Map("Note Hook", body, "d2", Now);

        Assert.Equal(WebhookDisposition.Queue, recheck.Disposition);
        Assert.Equal("gitlab-org/gitlab-test", recheck.Requests[0].Repository);
        Assert.Equal(5, recheck.Requests[0].ProjectId);
        Assert.Equal(1, recheck.Requests[0].Number);
        Assert.Equal("562e173be03b8ff2efb05345d12df18815438a4b", recheck.Requests[0].HeadSha);
        Assert.Equal("note.recheck", recheck.Requests[0].Event);
    }

    [Fact]
    public void An_edited_recheck_note_is_not_a_new_command()
    {
        var body = WithAttribute("go-gitlab.note_merge_request.json", "note", "/reviewbot recheck", ("action", "update"));
        var mapping = GitLabWebhookMapper.Map("Note Hook", body, "d", Now);

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
    }

    [Theory]
    [InlineData("/reviewbot recheck", true)]
    [InlineData("  /REVIEWBOT RECHECK  ", true)]
    [InlineData("please\n/reviewbot recheck", true)]
    [InlineData("/reviewbot rechecked", false)]
    [InlineData("run /reviewbot recheck", false)]
    [InlineData("", false)]
    public void Recheck_command_is_a_line_of_its_own(string note, bool expected)
        => Assert.Equal(expected, ReviewBotCommand.Parse(note).Kind == CommandKind.Recheck);

    [Fact]
    public void A_merge_request_pipeline_re_evaluates_its_merge_request()
    {
        var mapping = GitLabWebhookMapper.Map("Pipeline Hook", Fixtures.GitLab("go-gitlab.pipeline.json"), "d", Now);

        Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
        Assert.Equal("gitlab-org/gitlab-test", mapping.Requests[0].Repository);
        Assert.Equal(1, mapping.Requests[0].ProjectId);
        Assert.Equal(1, mapping.Requests[0].Number);
        Assert.Equal("bcbb5ec396a2c0f828686f14fac9b80b780504f2", mapping.Requests[0].HeadSha);
        Assert.Equal("pipeline.success", mapping.Requests[0].Event);
    }

    [Fact]
    public void A_fork_pipeline_names_the_target_project_from_the_merge_request_url()
    {
        var node = JsonNode.Parse(Fixtures.GitLab("go-gitlab.pipeline.json"))!;
        node["merge_request"]!["target_project_id"] = 99;
        var mapping = GitLabWebhookMapper.Map("Pipeline Hook", Encoding.UTF8.GetBytes(node.ToJsonString()), "d", Now);

        Assert.Equal("gitlab-org/gitlab-test", mapping.Requests[0].Repository);
        Assert.Equal(99, mapping.Requests[0].ProjectId);
    }

    [Fact]
    public void A_branch_pipeline_asks_for_the_merge_requests_of_its_sha()
    {
        var node = JsonNode.Parse(Fixtures.GitLab("go-gitlab.pipeline.json"))!.AsObject();
        node.Remove("merge_request");
        var mapping = GitLabWebhookMapper.Map("Pipeline Hook", Encoding.UTF8.GetBytes(node.ToJsonString()), "d", Now);

        Assert.Equal(WebhookDisposition.Queue, mapping.Disposition);
        Assert.Equal((0L, "bcbb5ec396a2c0f828686f14fac9b80b780504f2", "gitlab-org/gitlab-test", 1L), (mapping.Requests[0].Number, mapping.Requests[0].HeadSha, mapping.Requests[0].Repository, mapping.Requests[0].ProjectId));
    }

    [Theory]
    [InlineData("running")]
    [InlineData("pending")]
    [InlineData("created")]
    public void Unsettled_pipelines_are_ignored(string status)
    {
        var node = JsonNode.Parse(Fixtures.GitLab("go-gitlab.pipeline.json"))!;
        node["object_attributes"]!["status"] = status;
        var mapping = GitLabWebhookMapper.Map("Pipeline Hook", Encoding.UTF8.GetBytes(node.ToJsonString()), "d", Now);

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        Assert.Equal($"pipeline is {status}; checks are re-read when it settles", mapping.Reason);
    }

    [Fact]
    public void Tag_pipelines_are_ignored()
    {
        var node = JsonNode.Parse(Fixtures.GitLab("go-gitlab.pipeline.json"))!;
        node["object_attributes"]!["tag"] = true;

        Assert.Equal("tag pipeline", GitLabWebhookMapper.Map("Pipeline Hook", Encoding.UTF8.GetBytes(node.ToJsonString()), "d", Now).Reason);
    }

    [Theory]
    [InlineData("Merge Request Hook", "not json")]
    [InlineData("Merge Request Hook", "[]")]
    [InlineData("Merge Request Hook", """{"object_kind":"merge_request"}""")]
    [InlineData("Merge Request Hook", """{"object_kind":"merge_request","project":{"path_with_namespace":"a/b"},"object_attributes":{"action":"open","iid":"x"}}""")]
    [InlineData("Merge Request Hook", """{"object_kind":"merge_request","object_attributes":{"action":"open","iid":3}}""")]
    [InlineData("Note Hook", """{"object_kind":"merge_request"}""")]
    [InlineData("", """{"object_kind":"merge_request"}""")]
    public void Malformed_bodies_are_malformed(string header, string body)
    {
        var mapping = GitLabWebhookMapper.Map(header, Encoding.UTF8.GetBytes(body), "d", Now);

        Assert.Equal(WebhookDisposition.Invalid, mapping.Disposition);
        Assert.False(string.IsNullOrWhiteSpace(mapping.Reason));
    }

    [Fact]
    public void Other_events_are_ignored()
    {
        var mapping = GitLabWebhookMapper.Map("Push Hook", Encoding.UTF8.GetBytes("""{"object_kind":"push"}"""), "d", Now);

        Assert.Equal(WebhookDisposition.Ignore, mapping.Disposition);
        Assert.Equal("event \"Push Hook\" is not used", mapping.Reason);
    }

    [Theory]
    [InlineData("https://gitlab.example.com/group/sub/project/-/merge_requests/3", "group/sub/project")]
    [InlineData("http://192.168.64.1:3005/gitlab-org/gitlab-test/merge_requests/1", "gitlab-org/gitlab-test")]
    [InlineData("not a url", null)]
    public void Project_path_from_merge_request_url(string url, string? expected)
        => Assert.Equal(expected, GitLabWebhookMapper.ProjectPathFromMergeRequestUrl(url));

    private static byte[] WithAttribute(string file, string name, string value, params (string Name, string Value)[] more)
    {
        var node = JsonNode.Parse(Fixtures.GitLab(file))!;
        node["object_attributes"]![name] = value;
        foreach (var (n, v) in more)
        {
            node["object_attributes"]![n] = v;
        }

        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
