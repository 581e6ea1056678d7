using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// The behaviour both stores (SQLite file, Azure Table storage) must share: de-duplication, coalescing,
/// per-pull-request ordering with compare-and-swap, and the audit log. Each subclass runs it against a real backend.
/// </summary>
public abstract class StoreContractTests
{
    protected const string Pr = "github:acme/api#7";
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected ManualClock Clock { get; } = new(AuditSamples.T0);

    /// <summary>A store over the test's backend; every call to it in one test sees the same data.</summary>
    protected abstract Task<(IAuditStore Audit, IReviewCoordinator Coordinator)> OpenAsync();

    [Fact]
    public async Task A_delivery_is_recorded_exactly_once_under_concurrent_calls()
    {
        var (store, _) = await OpenAsync();
        var (second, _) = await OpenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(i => Task.Run(() => (i % 2 == 0 ? store : second).TryRecordDeliveryAsync("github", "d-1"))));

        Assert.Equal(1, results.Count(r => r));
        Assert.False(await store.TryRecordDeliveryAsync("github", "d-1"));
        Assert.True(await store.TryRecordDeliveryAsync("gitlab", "d-1"));
    }

    [Fact]
    public async Task A_forgotten_delivery_is_accepted_again_and_forgetting_an_unknown_one_is_harmless()
    {
        var (store, _) = await OpenAsync();
        Assert.True(await store.TryRecordDeliveryAsync("github", "d-forget"));

        await store.ForgetDeliveryAsync("github", "d-forget");
        await store.ForgetDeliveryAsync("github", "never-seen");

        Assert.True(await store.TryRecordDeliveryAsync("github", "d-forget"));
        Assert.False(await store.TryRecordDeliveryAsync("github", "d-forget"));
    }

    [Fact]
    public async Task A_burst_for_one_head_is_folded_into_the_queued_evaluation_until_it_starts()
    {
        var (_, c) = await OpenAsync();

        Assert.True(await c.TryMarkQueuedAsync(Pr, "aaa"));
        Assert.False(await c.TryMarkQueuedAsync(Pr, "aaa"));
        Assert.False(await c.TryMarkQueuedAsync(Pr, "aaa"));

        // A new head is a different evaluation.
        Assert.True(await c.TryMarkQueuedAsync(Pr, "bbb"));

        // Once the worker starts, a later delivery may carry news the running evaluation did not load: enqueue it.
        var claim = await c.ClaimAsync(Pr, "d-1", "w1", Lease);
        Assert.Equal(ClaimOutcome.Run, claim.Outcome);
        Assert.True(await c.TryMarkQueuedAsync(Pr, "bbb"));

        // The fold window guards against a lost message.
        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await c.TryMarkQueuedAsync(Pr, "bbb"));

        // Without a head nothing can be folded.
        Assert.True(await c.TryMarkQueuedAsync("github:acme/api#8", null));
        Assert.True(await c.TryMarkQueuedAsync("github:acme/api#8", null));
    }

    [Fact]
    public async Task Deliveries_during_a_running_evaluation_are_folded_and_evaluated_once_more()
    {
        var (_, c) = await OpenAsync();

        var first = await c.ClaimAsync(Pr, "d-1", "w1", Lease);
        var second = await c.ClaimAsync(Pr, "d-2", "w2", Lease);
        var third = await c.ClaimAsync(Pr, "d-3", "w3", Lease);

        Assert.Equal(ClaimOutcome.Run, first.Outcome);
        Assert.Equal(ClaimOutcome.Folded, second.Outcome);
        Assert.Equal(ClaimOutcome.Folded, third.Outcome);
        Assert.Contains("d-1", second.Reason, StringComparison.Ordinal);

        Assert.True(await c.TryCommitAsync(first, "aaa"));
        var renewed = await c.ClaimRenewal(first);
        Assert.NotNull(renewed);
        Assert.Equal(first.Sequence + 1, renewed.Sequence);
        Assert.True(await c.TryCommitAsync(renewed, "bbb"));
        Assert.Null(await c.ReleaseAsync(renewed, completed: true));

        // Released: the next delivery runs.
        Assert.Equal(ClaimOutcome.Run, (await c.ClaimAsync(Pr, "d-4", "w4", Lease)).Outcome);
    }

    [Fact]
    public async Task An_older_evaluation_never_commits_over_a_newer_one()
    {
        var (_, c) = await OpenAsync();

        var slow = await c.ClaimAsync(Pr, "d-old", "slow-worker", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        // The slow worker's lease expired: another worker takes over with a newer sequence.
        var fast = await c.ClaimAsync(Pr, "d-new", "fast-worker", Lease);
        Assert.Equal(ClaimOutcome.Run, fast.Outcome);
        Assert.True(fast.Sequence > slow.Sequence);
        Assert.Contains("expired", fast.Reason, StringComparison.Ordinal);

        Assert.True(await c.TryCommitAsync(fast, "new-head"));
        Assert.False(await c.TryCommitAsync(slow, "old-head"));

        // The stale worker's release does not disturb the newer lease.
        Assert.Null(await c.ReleaseAsync(slow, completed: false));
        Assert.Equal(ClaimOutcome.Folded, (await c.ClaimAsync(Pr, "d-3", "w3", Lease)).Outcome);
    }

    [Fact]
    public async Task A_renewed_lease_outlasts_its_first_term_and_a_lease_taken_over_cannot_be_renewed()
    {
        var (_, c) = await OpenAsync();
        var running = await c.ClaimAsync(Pr, "d-long", "long-worker", Lease);

        // The heartbeat renews before the term ends: another worker's delivery is folded, not run beside it.
        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.True(await c.RenewAsync(running));
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ClaimOutcome.Folded, (await c.ClaimAsync(Pr, "d-other", "other-worker", Lease)).Outcome);

        // Without renewal the lease runs out; once taken over, the old holder cannot renew it back.
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var takeover = await c.ClaimAsync(Pr, "d-next", "next-worker", Lease);
        Assert.Equal(ClaimOutcome.Run, takeover.Outcome);
        Assert.False(await c.RenewAsync(running));
        Assert.False(await c.TryCommitAsync(running, "old-head"));
        Assert.True(await c.TryCommitAsync(takeover, "new-head"));
    }

    [Fact]
    public async Task An_older_evaluation_cannot_commit_even_before_the_newer_one_commits()
    {
        var (_, c) = await OpenAsync();
        var slow = await c.ClaimAsync(Pr, "d-old", "slow-worker", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var fast = await c.ClaimAsync(Pr, "d-new", "fast-worker", Lease);

        Assert.False(await c.TryCommitAsync(slow, "old-head"));
        Assert.True(await c.TryCommitAsync(fast, "new-head"));
    }

    [Fact]
    public async Task A_completed_delivery_redelivered_is_not_evaluated_again()
    {
        var (_, c) = await OpenAsync();
        var claim = await c.ClaimAsync(Pr, "d-1", "w1", Lease);
        Assert.True(await c.TryCommitAsync(claim, "aaa"));
        Assert.Null(await c.ReleaseAsync(claim, completed: true));

        var again = await c.ClaimAsync(Pr, "d-1", "w2", Lease);
        Assert.Equal(ClaimOutcome.AlreadyCompleted, again.Outcome);
    }

    [Fact]
    public async Task A_duplicate_copy_arriving_while_its_twin_runs_is_dropped_without_another_pass()
    {
        var (_, c) = await OpenAsync();
        var claim = await c.ClaimAsync(Pr, "d-1", "w1", Lease);
        var twin = await c.ClaimAsync(Pr, "d-1", "w2", Lease);

        Assert.Equal(ClaimOutcome.Folded, twin.Outcome);
        Assert.Contains("already being evaluated", twin.Reason, StringComparison.Ordinal);
        Assert.True(await c.TryCommitAsync(claim, "aaa"));
        Assert.Null(await c.ReleaseAsync(claim, completed: true));
    }

    [Fact]
    public async Task A_failed_evaluation_releases_the_lease_without_completing_so_the_retry_runs()
    {
        var (_, c) = await OpenAsync();
        var claim = await c.ClaimAsync(Pr, "d-1", "w1", Lease);
        Assert.Null(await c.ReleaseAsync(claim, completed: false));

        var retry = await c.ClaimAsync(Pr, "d-1", "w1-retry", Lease);
        Assert.Equal(ClaimOutcome.Run, retry.Outcome);
    }

    [Fact]
    public async Task Concurrent_claims_grant_exactly_one_lease()
    {
        var (_, c) = await OpenAsync();
        var claims = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => c.ClaimAsync(Pr, $"d-{i}", $"w-{i}", Lease))));

        Assert.Single(claims, x => x.Outcome == ClaimOutcome.Run);
        Assert.Equal(15, claims.Count(x => x.Outcome == ClaimOutcome.Folded));
    }

    [Fact]
    public async Task Audit_records_round_trip_with_evidence_findings_decision_and_actions()
    {
        var (store, _) = await OpenAsync();
        var record = AuditSamples.Decision("a1", "acme/api", 7, AuditSamples.T0);
        await store.AppendAsync(record);

        var read = await store.GetAsync("a1");
        Assert.NotNull(read);
        Assert.Equal(AuditJson.Serialize(record), AuditJson.Serialize(read));
        Assert.Equal("copilot-agent.pr-author", read.Authorship!.Evidence[0].Signal);
        Assert.Equal("RB1001", read.Risk!.Findings[0].RuleId);
        Assert.Equal(DecisionState.Pending, read.Decision!.State);
        Assert.Equal(3, read.Actions.Count);
        Assert.Null(await store.GetAsync("missing"));

        // Appending the same id again (a retried write) keeps one record.
        await store.AppendAsync(record);
        Assert.Single(await store.ListAsync(new AuditQuery()));
    }

    [Fact]
    public async Task Audit_list_filters_by_repository_pull_request_and_time_newest_first()
    {
        var (store, _) = await OpenAsync();
        await store.AppendAsync(AuditSamples.Decision("a1", "acme/api", 7, AuditSamples.T0));
        await store.AppendAsync(AuditSamples.Decision("a2", "acme/api", 7, AuditSamples.T0.AddMinutes(1)));
        await store.AppendAsync(AuditSamples.Decision("a3", "acme/api", 8, AuditSamples.T0.AddMinutes(2)));
        await store.AppendAsync(AuditSamples.Decision("a4", "acme/web", 7, AuditSamples.T0.AddMinutes(3)));

        Assert.Equal(["a4", "a3", "a2", "a1"], Ids(await store.ListAsync(new AuditQuery())));
        Assert.Equal(["a3", "a2", "a1"], Ids(await store.ListAsync(new AuditQuery { Repository = "acme/api" })));
        Assert.Equal(["a2", "a1"], Ids(await store.ListAsync(new AuditQuery { Repository = "acme/api", Number = 7 })));
        Assert.Equal(["a4", "a3"], Ids(await store.ListAsync(new AuditQuery { Since = AuditSamples.T0.AddMinutes(2) })));
        Assert.Equal(["a4", "a3"], Ids(await store.ListAsync(new AuditQuery { Limit = 2 })));
    }

    [Fact]
    public async Task Secrets_in_errors_and_actions_are_masked_before_they_are_stored()
    {
        var (store, _) = await OpenAsync();
        var token = "ghs_" + new string('A', 36);
        var record = AuditSamples.Decision("s1", "acme/api", 7, AuditSamples.T0) with
        {
            Decision = null,
            Error = $"POST https://x-access-token:{token}@github.com failed; Authorization: Bearer {token}",
            Actions = [$"called with token {token}"],
        };
        await store.AppendAsync(record);

        var read = await store.GetAsync("s1");
        Assert.NotNull(read);
        Assert.DoesNotContain(token, read.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, read.Actions[0], StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, read.Error, StringComparison.Ordinal);
        Assert.Contains("failed", read.Error, StringComparison.Ordinal);
    }

    private static string[] Ids(IReadOnlyList<AuditRecord> records) => records.Select(r => r.Id).ToArray();
}

internal static class CoordinatorTestExtensions
{
    /// <summary>Completes a pass and returns the renewed claim the coordinator hands back when deliveries were folded.</summary>
    public static Task<ReviewClaim?> ClaimRenewal(this IReviewCoordinator c, ReviewClaim claim) => c.ReleaseAsync(claim, completed: true);
}
