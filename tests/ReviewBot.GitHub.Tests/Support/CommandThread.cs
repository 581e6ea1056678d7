using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>
/// The <c>/reviewbot</c> command tests' side of pull request #2's thread on the fake GitHub: write a comment and deliver it
/// as <c>issue_comment</c>, read ReviewBot's check run and its answers.
/// </summary>
public static class CommandThread
{
    /// <summary>A comment by <paramref name="login"/> on #2, delivered; the <paramref name="nth"/> evaluation, which must not be an error.</summary>
    public static async Task<AuditRecord> CommentAsync(EndToEnd e2e, string login, string body, DateTimeOffset at, int nth)
    {
        e2e.GitHub.AddComment(2, login, body, at);
        var (evt, payload) = Payloads.Fixture("issue_comment.created.json");
        await e2e.Host.DeliverAsync(evt, payload, $"comment-{nth}", EndToEnd.Secret);
        var record = (await e2e.WaitForAuditAsync(nth))[nth - 1];
        Assert.True(record.Error is null, record.Error);
        return record;
    }

    /// <summary>ReviewBot's latest check run on <paramref name="head"/>.</summary>
    public static JsonObject LatestRun(EndToEnd e2e, string head)
        => e2e.GitHub.CheckRuns.Last(r => (string?)r["head_sha"] == head && (string?)r["name"] == "ReviewBot");

    /// <summary>Markdown read as text: the escapes and the zero-width space that keeps @mentions from pinging removed.</summary>
    public static string Text(string markdown) => markdown.Replace("\u200B", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);

    /// <summary>The answer to the command in comment <paramref name="commentId"/>, read as <see cref="Text"/>.</summary>
    public static string ReplyTo(EndToEnd e2e, long commentId)
        => Text((string)Assert.Single(e2e.GitHub.Comments, c => ((string?)c["body"])?.Contains(EnforcementPlanner.ReplyMarker(commentId), StringComparison.Ordinal) == true)["body"]!);

    public static long LastCommentId(EndToEnd e2e, string login)
        => (long)e2e.GitHub.Comments.Last(c => (string?)c["user"]?["login"] == login)["id"]!;
}
