using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.TestSupport;

/// <summary>
/// Drives <c>reviewbot serve</c> (a <see cref="ServeProcess"/>) through SIGKILLs and restarts on one SQLite file, the
/// way a platform drives it: signed deliveries over 8 connections, redelivery of what was not acknowledged, and
/// checks that read the database alone. Platform-neutral: the test supplies the environment and the request shape.
/// </summary>
public sealed class ServeCrashHarness(string database, Func<IReadOnlyDictionary<string, string>> environment, Func<string, byte[], HttpRequestMessage> request)
    : IAsyncDisposable
{
    private TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServeProcess Serve { get; private set; } = null!;

    /// <summary>Deliveries answered 202 (or 200 duplicate: stored before the process died, its 202 lost).</summary>
    public ConcurrentDictionary<string, bool> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts the process (again) on the same database; a previous one, killed or stopped, is released first.</summary>
    public async Task StartAsync()
    {
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }

        Serve = await ServeProcess.StartAsync(environment());
    }

    /// <summary>
    /// Posts deliveries over 8 connections; returns those not acknowledged (the process died), which the platform
    /// redelivers. With <paramref name="killAfterAcks"/> the process is SIGKILLed as soon as that many were
    /// acknowledged, with other posts still in flight.
    /// </summary>
    public async Task<List<(string Delivery, byte[] Body)>> DeliverAsync(IReadOnlyList<(string Delivery, byte[] Body)> deliveries, int killAfterAcks = 0)
    {
        var serve = Serve;
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        var failed = new ConcurrentBag<(string, byte[])>();
        var acks = 0;
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (delivery, _) =>
        {
            using var message = request(delivery.Delivery, delivery.Body);
            try
            {
                using var response = await http.SendAsync(message);
                if (response.StatusCode is System.Net.HttpStatusCode.Accepted or System.Net.HttpStatusCode.OK)
                {
                    Acked[delivery.Delivery] = true;
                    if (Interlocked.Increment(ref acks) == killAfterAcks)
                    {
                        serve.Kill();
                    }

                    return;
                }

                failed.Add(delivery);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed.Add(delivery);
            }
        });
        return [.. failed];
    }

    /// <summary>
    /// Posts <paramref name="deliveries"/> with a SIGKILL armed for the <paramref name="nth"/> platform call the fake
    /// reports as matching (<paramref name="hook"/> installs the callback, and removes it with null), checks from the
    /// database that nothing acknowledged was lost, restarts, and redelivers what was not acknowledged.
    /// </summary>
    public async Task KilledDuringAsync(Action<Action<bool>?> hook, int nth, IReadOnlyList<(string Delivery, byte[] Body)> deliveries, Func<Task> assertNothingLost)
    {
        hook(KillOnNth(nth));
        var lost = await DeliverAsync(deliveries);
        await WaitForKillAsync();
        hook(null);
        await assertNothingLost();
        await StartAsync();
        await RedeliverAsync(lost);
    }

    /// <summary>Arms a SIGKILL for the <paramref name="nth"/> call of the returned callback with true (a fake platform calls it per request).</summary>
    public Action<bool> KillOnNth(int nth)
    {
        var seen = 0;
        var serve = Serve;
        var killed = _killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return matches =>
        {
            if (matches && Interlocked.Increment(ref seen) == nth)
            {
                serve.Kill();
                killed.TrySetResult();
            }
        };
    }

    public Task WaitForKillAsync() => _killed.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Redelivers what was lost until everything is acknowledged (each pass against a running process).</summary>
    public async Task RedeliverAsync(List<(string Delivery, byte[] Body)> lost)
    {
        Assert(lost.Count == 0 || (await DeliverAsync(lost)).Count == 0, "a redelivery was not acknowledged: " + Serve.Output);
    }

    public IReadOnlyList<QueuedWork> Queued()
    {
        using var db = SqliteDatabase.Open(database);
        return new SqliteWorkQueue(db, TimeProvider.System, Options.Create(new StorageOptions())).List();
    }

    /// <summary>
    /// Right after a SIGKILL, from the database alone: each acknowledged delivery (its id, the work key of its pull
    /// request, and the heads that would satisfy it) is either still queued or already evaluated at one of those heads.
    /// </summary>
    public async Task AssertNothingAcknowledgedIsLostAsync(string repository, IEnumerable<(string Delivery, string Key, long Number, string[] Heads)> deliveries)
    {
        using var store = SqliteReviewStore.Open(database);
        var queued = new SqliteWorkQueue(store.Database, TimeProvider.System, Options.Create(new StorageOptions())).List().Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        var evaluated = (await store.ListAsync(new AuditQuery { Repository = repository, Limit = 0 }))
            .Where(r => r.Error is null)
            .Select(r => (r.Number, r.HeadSha))
            .ToHashSet();
        foreach (var (delivery, key, number, heads) in deliveries.Where(d => Acked.ContainsKey(d.Delivery)))
        {
            Assert(queued.Contains(key) || heads.Any(h => evaluated.Contains((number, h))), $"the acknowledged delivery {delivery} is neither queued nor evaluated");
        }
    }

    /// <summary>
    /// Waits until the queue is empty and <paramref name="done"/> holds, then replays every recorded decision; fails
    /// with the queue and the process output otherwise.
    /// </summary>
    public async Task WaitUntilSettledAsync(Func<bool> done, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var waiting = Queued();
            if (waiting.Count == 0 && done())
            {
                await AssertEveryDecisionReplaysAsync();
                return;
            }

            Assert(!Serve.HasExited, "reviewbot serve exited: " + Serve.Output);
            Assert(DateTime.UtcNow < deadline, $"not settled: {waiting.Count} item(s) queued ("
                + string.Join(", ", waiting.Take(5).Select(w => $"{w.Key} {w.State} {w.LastError}")) + $"); {describe()}\n{Serve.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Every decision the process recorded (crashes included) replays offline to the same decision.</summary>
    public async Task AssertEveryDecisionReplaysAsync()
    {
        using var store = SqliteReviewStore.Open(database);
        var replayed = await ReplayCheck.AssertEveryDecisionReplaysAsync(store, new SqliteEvaluationStore(store.Database, TimeProvider.System, new StorageOptions()));
        Assert(replayed > 0, "the settled run recorded no decision to replay");
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
    }
}
