namespace ReviewBot.Pipeline.Telemetry;

/// <summary>
/// Counts the platform API requests made within an evaluation: the pipeline opens a <see cref="Scope"/> per evaluation
/// pass, and every platform's HTTP client passes through a <see cref="CountingHandler"/>, which adds to the scope of
/// the flow it runs in (requests outside an evaluation are not counted).
/// </summary>
public static class PlatformRequests
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Starts counting the requests of this asynchronous flow (and the flows it starts) until disposed.</summary>
    public static Scope Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>The requests of one evaluation.</summary>
    public sealed class Scope(Scope? outer) : IDisposable
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        internal void Add() => Interlocked.Increment(ref _count);

        public void Dispose()
        {
            if (Current.Value == this)
            {
                Current.Value = outer;
            }
        }
    }

    /// <summary>Put in front of a platform's HTTP transport: each request sent counts in the current evaluation.</summary>
    public sealed class CountingHandler : DelegatingHandler
    {
        public CountingHandler()
        {
        }

        public CountingHandler(HttpMessageHandler inner)
            : base(inner)
        {
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Current.Value?.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
