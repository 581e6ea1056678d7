using System.Net;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Base of the <c>/reviewbot</c> command tests on GitLab (real host, worker and engine; fake GitLab over HTTP): deliver a
/// merge request event or a note, wait for its evaluation in the audit, read ReviewBot's answers in the thread.
/// </summary>
public abstract class FakeGitLabCommandTest : FakeGitLabTest
{
    protected const string Secret = "e2e-command-secret";

    /// <summary>GitLab's version of the current head was created then (the fake's second version).</summary>
    protected static readonly DateTimeOffset HeadArrived = new(2026, 11, 20, 10, 5, 0, TimeSpan.Zero);

    /// <summary>A note by <paramref name="username"/>, delivered as a Note Hook; the <paramref name="nth"/> evaluation and the status it left.</summary>
    protected async Task<(string Status, AuditRecord Record)> NoteAsync(DeliveryRecorderDouble audit, string username, string note, DateTimeOffset at, int nth)
    {
        lock (Server)
        {
            Server.AddNote(username, note, at);
        }

        await using var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: audit, realWorker: true);
        Assert.Equal(HttpStatusCode.Accepted, await host.DeliverNoteHookAsync(Secret, $"note-{nth}", note));
        return await AuditedAsync(audit, nth);
    }

    /// <summary>A merge request event (opened, or pushed to); the <paramref name="nth"/> evaluation and the status it left.</summary>
    protected async Task<(string Status, AuditRecord Record)> MergeRequestEventAsync(DeliveryRecorderDouble audit, int nth)
    {
        await using var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: audit, realWorker: true);
        Assert.Equal(HttpStatusCode.Accepted, await host.DeliverMergeRequestHookAsync(Secret, $"merge-request-{nth}"));
        return await AuditedAsync(audit, nth);
    }

    private async Task<(string Status, AuditRecord Record)> AuditedAsync(DeliveryRecorderDouble audit, int nth)
    {
        for (var i = 0; i < 600; i++)
        {
            if (audit.Records.Count >= nth)
            {
                var record = audit.Records.ElementAt(nth - 1);
                Assert.True(record.Error is null, record.Error);
                lock (Server)
                {
                    return (Server.StatusesNamed("reviewbot").Last(s => s["sha"]!.GetValue<string>() == record.HeadSha)["status"]!.GetValue<string>(), record);
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no evaluation was audited within 30 s");
    }

    /// <summary>ReviewBot's answers in the thread, read as text: without the zero-width space that keeps @mentions from pinging.</summary>
    protected string[] Replies()
    {
        lock (Server)
        {
            return [.. Server.Notes.Select(n => n["body"]!.GetValue<string>()).Where(b => b.Contains("reviewbot:reply:", StringComparison.Ordinal))
                .Select(b => b.Replace("\u200B", "", StringComparison.Ordinal))];
        }
    }

    /// <summary>A push: GitLab records a new version of the merge request for <paramref name="newHead"/>.</summary>
    protected void Push(string newHead, string createdAt)
    {
        lock (Server)
        {
            Server.MergeRequest["sha"] = newHead;
            Server.MergeRequest["diff_refs"]!["head_sha"] = newHead;
            Server.Versions.Add(FakeGitLabServer.Obj($$"""{ "id": {{Server.Versions.Count + 1}}, "head_commit_sha": "{{newHead}}", "base_commit_sha": "{{FakeGitLabServer.BaseSha}}", "start_commit_sha": "{{FakeGitLabServer.BaseSha}}", "created_at": "{{createdAt}}", "state": "collected" }"""));
        }
    }
}
