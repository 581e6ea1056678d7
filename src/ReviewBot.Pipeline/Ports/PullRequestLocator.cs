namespace ReviewBot.Pipeline.Ports;

/// <summary>
/// Optional companion of <see cref="IPlatformSessionFactory"/>: resolves a <see cref="ReviewRequest"/> that names no
/// pull request (<see cref="ReviewRequest.Number"/> 0) to the open pull requests it concerns — those whose head is
/// <see cref="ReviewRequest.HeadSha"/> (commit status, check events from forks), or all open ones of the repository
/// when no head is named (app installation).
/// </summary>
public interface IPullRequestLocator
{
    Task<IReadOnlyList<long>> FindOpenPullRequestsAsync(ReviewRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// A platform call failed in a way that may pass (5xx, rate limit, secondary limit, timeout): the worker retries the
/// whole evaluation with backoff, never reporting success meanwhile.
/// </summary>
public sealed class PlatformTransientException(string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>How long the platform asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
