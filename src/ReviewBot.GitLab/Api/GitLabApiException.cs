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
        Detail = message;
    }

    public string Method { get; }
    public string Path { get; }
    public HttpStatusCode? StatusCode { get; }

    /// <summary>GitLab's own message (its <c>message</c> or <c>error</c> field), without the method and path.</summary>
    public string Detail { get; }

    /// <summary>The tier or the token's role lacks the endpoint (403 / 404).</summary>
    public bool IsUnavailable => StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound;

    /// <summary>
    /// GitLab refused the request as such (a 4xx other than 401 and 429: a validation error, a missing tier or role, a
    /// conflict): repeating it would be refused again. 401 is the token and 429 a retry, neither a refusal of the request.
    /// </summary>
    public bool IsRefusal => StatusCode is { } code && (int)code is >= 400 and < 500
        && code is not (HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests);
}
