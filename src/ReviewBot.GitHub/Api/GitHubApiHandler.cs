using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Api;

/// <summary>Read and write requests one session made (for the per-evaluation request count).</summary>
public sealed class RequestCounter
{
    private int _reads;
    private int _writes;

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public int Total => Reads + Writes;

    internal void Count(HttpRequestMessage request)
    {
        var isRead = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head
            || request.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.Ordinal) == true;
        Interlocked.Increment(ref isRead ? ref _reads : ref _writes);
    }

    public override string ToString() => $"{Reads} reads, {Writes} writes";
}

/// <summary>
/// Every GitHub API call of a session passes here: counts it, honours primary and secondary rate limits
/// (<c>Retry-After</c>, <c>x-ratelimit-remaining: 0</c> + <c>x-ratelimit-reset</c>) and retries 5xx on reads with
/// exponential backoff. Waits longer than <see cref="GitHubOptions.MaxInlineRetryWait"/>, or exhausted retries, surface as
/// <see cref="PlatformTransientException"/> so the worker retries the whole (idempotent) evaluation later.
/// </summary>
public sealed class GitHubApiHandler(HttpMessageInvoker inner, GitHubOptions options, TimeProvider time, ILogger logger, RequestCounter counter)
    : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var isRead = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head
            || request.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.Ordinal) == true;
        for (var attempt = 0; ; attempt++)
        {
            using var attemptRequest = Clone(request, body);
            counter.Count(attemptRequest);
            HttpResponseMessage response;
            try
            {
                response = await inner.SendAsync(attemptRequest, cancellationToken);
            }
            catch (HttpRequestException ex) when (isRead && attempt < options.MaxCallRetries)
            {
                logger.LogWarning("GitHub {Method} {Path} failed ({Error}); retry {Attempt}", request.Method, Path(request), ex.Message, attempt + 1);
                await Task.Delay(Backoff(attempt), time, cancellationToken);
                continue;
            }

            var wait = RateLimitWait(response);
            if (wait is { } limitWait)
            {
                var reason = $"GitHub rate limit on {request.Method} {Path(request)} ({(int)response.StatusCode}), retry after {limitWait.TotalSeconds:0}s";
                if (attempt >= options.MaxCallRetries || limitWait > options.MaxInlineRetryWait)
                {
                    response.Dispose();
                    throw new PlatformTransientException(reason, limitWait);
                }

                logger.LogWarning("{Reason}; waiting", reason);
                response.Dispose();
                await Task.Delay(limitWait, time, cancellationToken);
                continue;
            }

            if ((int)response.StatusCode >= 500)
            {
                var reason = $"GitHub answered {(int)response.StatusCode} to {request.Method} {Path(request)}";
                if (!isRead || attempt >= options.MaxCallRetries)
                {
                    response.Dispose();
                    throw new PlatformTransientException(reason);
                }

                logger.LogWarning("{Reason}; retry {Attempt}", reason, attempt + 1);
                response.Dispose();
                await Task.Delay(Backoff(attempt), time, cancellationToken);
                continue;
            }

            if (response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining)
                && int.TryParse(remaining.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var left) && left < 100)
            {
                logger.LogWarning("GitHub rate limit nearly used up: {Remaining} requests left", left);
            }

            return response;
        }
    }

    private TimeSpan Backoff(int attempt) => TimeSpan.FromTicks(options.RetryBaseDelay.Ticks * (1L << Math.Min(attempt, 16)));

    /// <summary>How long GitHub asks us to wait, or null when the response is not a rate-limit answer.</summary>
    private TimeSpan? RateLimitWait(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden))
        {
            return null;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            var delta = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        var exhausted = response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0";
        if (exhausted)
        {
            if (response.Headers.TryGetValues("x-ratelimit-reset", out var reset)
                && long.TryParse(reset.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                var until = DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow();
                return until < TimeSpan.Zero ? TimeSpan.Zero : until + TimeSpan.FromSeconds(1);
            }

            return TimeSpan.FromMinutes(1);
        }

        // GitHub's secondary limits without a header: "wait at least one minute".
        return response.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromMinutes(1) : null;
    }

    private static bool LooksLikeJson(byte[] body)
    {
        var first = body.AsSpan().TrimStart(" \t\r\n"u8);
        return first.Length > 0 && first[0] is (byte)'{' or (byte)'[' or (byte)'"';
    }

    private static string Path(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? "";

    /// <summary>Octokit's default Accept header (the v3 media type).</summary>
    private const string OctokitAccept = "application/vnd.github.v3+json";

    /// <summary>
    /// A fresh copy for each attempt, normalised to what GitHub's OpenAPI description declares: JSON bodies are sent as
    /// <c>application/json</c> (Octokit labels them form-urlencoded), the default Accept becomes GitHub's recommended
    /// <c>application/vnd.github+json</c> with <c>application/json</c>, and the REST API version is pinned.
    /// </summary>
    private static HttpRequestMessage Clone(HttpRequestMessage request, byte[]? body)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Accept", StringComparison.OrdinalIgnoreCase) && header.Value.All(v => v == OctokitAccept))
            {
                clone.Headers.TryAddWithoutValidation("Accept", "application/vnd.github+json, application/json");
                continue;
            }

            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        clone.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
        if (body is not null)
        {
            clone.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (clone.Content.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded" && LooksLikeJson(body))
            {
                clone.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)clone.Options)[option.Key] = option.Value;
        }

        return clone;
    }
}
