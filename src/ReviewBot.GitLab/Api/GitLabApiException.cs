using System.Net;

namespace ReviewBot.GitLab.Api;

/// <summary>
/// A GitLab API call that did not succeed (after retries). The message names the method, the path and
/// GitLab's answer; it never holds the token.
/// </summary>
public sealed class GitLabApiException : Exception
{
    public GitLabApiException(string method, string path, HttpStatusCode? statusCode, string message, Exception? inner = null)
        : base($"GitLab {method} {path}: {(statusCode is { } s ? $"{(int)s} {s}" : "no response")}: {message}", inner)
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
    }

    public string Method { get; }
    public string Path { get; }
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The tier or the token's role lacks the endpoint (403 / 404).</summary>
    public bool IsUnavailable => StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound;
}
