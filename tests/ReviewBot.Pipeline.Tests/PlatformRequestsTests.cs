using System.Net;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Pipeline.Tests;

/// <summary>The per-evaluation count of platform API requests: a scope per evaluation, the handler on each platform's transport.</summary>
public sealed class PlatformRequestsTests
{
    /// <summary>The transport's far end: answers 200 and counts what reached it.</summary>
    private sealed class Answering : HttpMessageHandler
    {
        public int Sent;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Sent);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    [Fact]
    public async Task Requests_count_in_the_scope_of_their_flow_and_nowhere_else()
    {
        var far = new Answering();
        using var http = new HttpClient(new PlatformRequests.CountingHandler(far));
        await http.GetAsync("http://platform.invalid/outside");

        async Task<long> EvaluationAsync(int requests)
        {
            using var scope = PlatformRequests.Begin();
            await Task.Yield();

            // Requests of flows the evaluation starts (parallel lookups) count too.
            await Task.WhenAll(Enumerable.Range(0, requests).Select(i => Task.Run(() => http.GetAsync($"http://platform.invalid/{i}"))));
            return scope.Count;
        }

        // Two evaluations at once: each counts its own.
        var counts = await Task.WhenAll(EvaluationAsync(3), EvaluationAsync(5));

        Assert.Equal([3L, 5L], counts);
        Assert.Equal(9, far.Sent);
        using var after = PlatformRequests.Begin();
        Assert.Equal(0, after.Count);
    }
}
