using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Octokit;
using Octokit.Internal;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// One authenticated view of the GitHub API for one evaluation: an Octokit client for REST and a GraphQL poster, both
/// going through one <see cref="GitHubApiHandler"/> (request count, rate limits, retries).
/// </summary>
public sealed class GitHubApi : IDisposable
{
    public static readonly Octokit.ProductHeaderValue Product = new("ReviewBot", "0.1");

    private readonly HttpClient _graphql;
    private readonly Uri _graphqlUri;

    public GitHubApi(HttpMessageInvoker transport, GitHubOptions options, Credentials credentials, TimeProvider time, ILogger logger)
    {
        Options = options;
        Counter = new RequestCounter();
        var handler = new GitHubApiHandler(transport, options, time, logger, Counter);
        var connection = new Connection(
            Product,
            options.ApiBaseUri,
            new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(() => handler),
            new SimpleJsonSerializer());
        Client = new GitHubClient(connection);
        _graphql = new HttpClient(new GitHubApiHandler(transport, options, time, logger, Counter), disposeHandler: true);
        _graphql.DefaultRequestHeaders.UserAgent.Add(new System.Net.Http.Headers.ProductInfoHeaderValue("ReviewBot", "0.1"));
        if (credentials.AuthenticationType != AuthenticationType.Anonymous)
        {
            _graphql.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Password ?? credentials.Login);
        }

        _graphqlUri = options.GraphQLUri;
    }

    public GitHubOptions Options { get; }

    public GitHubClient Client { get; }

    public ApiConnection ApiConnection => new(Client.Connection);

    public RequestCounter Counter { get; }

    /// <summary>Splits "owner/name".</summary>
    public static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == repository.Length - 1)
        {
            throw new ArgumentException($"'{repository}' is not owner/name", nameof(repository));
        }

        return (repository[..slash], repository[(slash + 1)..]);
    }

    /// <summary>
    /// Posts a GraphQL query; returns <c>data</c>. GraphQL errors become exceptions (never a silent partial answer),
    /// except NOT_FOUND errors when <paramref name="allowNotFound"/> (the missing part is then null in <c>data</c>).
    /// </summary>
    public async Task<JsonElement> GraphQLAsync(string query, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["query"] = query, ["variables"] = variables });
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _graphql.PostAsync(_graphqlUri, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GitHub GraphQL answered {(int)response.StatusCode}: {Bound(text)}");
        }

        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            && !(allowNotFound && errors.EnumerateArray().All(e => e.TryGetProperty("type", out var et) && et.GetString() == "NOT_FOUND")))
        {
            var messages = errors.EnumerateArray().Select(e => e.TryGetProperty("message", out var m) ? m.GetString() : e.ToString());
            var type = errors[0].TryGetProperty("type", out var t) ? t.GetString() : null;
            var message = "GitHub GraphQL errors: " + Bound(string.Join("; ", messages));
            throw type is "RATE_LIMITED" ? new PlatformTransientException(message, TimeSpan.FromMinutes(1)) : new InvalidOperationException(message);
        }

        return doc.RootElement.GetProperty("data").Clone();
    }

    private static string Bound(string text) => text.Length > 300 ? text[..300] + "…" : text;

    public void Dispose() => _graphql.Dispose();
}
