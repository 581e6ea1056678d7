using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub;
using ReviewBot.GitLab;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// The one way the CLI loads a live pull request (GitHub) or merge request (GitLab): through the bot's own platform
/// adapter, configured as the host reads it (<c>ReviewBot__GitHub__*</c>, <c>ReviewBot__GitLab__*</c>: rules path,
/// organisation rules, built-in default), with the token and API base from the usual variables. The session gives the
/// snapshot (reviews, checks, files), team membership and where the rules are (read at the base commit); its enforcer
/// (the one writer) is never used by the CLI. Used by <c>simulate</c> and by <c>check --github-api</c> (the Action).
/// </summary>
internal sealed class LivePullRequest : IAsyncDisposable
{
    /// <summary>The environment variables read (docs: README "Simulate and backtest", docs/github-action.md).</summary>
    public const string GitHubTokenVariable = "GITHUB_TOKEN";

    public const string GitHubTokenFallbackVariable = "GH_TOKEN";
    public const string GitHubApiVariable = "GITHUB_API_URL";
    public const string GitLabTokenVariable = "GITLAB_TOKEN";
    public const string GitLabUrlVariable = "GITLAB_URL";

    private readonly ServiceProvider _provider;

    private LivePullRequest(ServiceProvider provider, PlatformSession session, PullRequestSnapshot snapshot)
    {
        _provider = provider;
        Session = session;
        Snapshot = snapshot;
    }

    public PlatformSession Session { get; }

    public PullRequestSnapshot Snapshot { get; }

    /// <param name="eventName">What the review request is called in the adapter's logs ("simulate", "github-action").</param>
    /// <exception cref="UsageException">No token, or the platform could not be read (the message names the pull request; never the token).</exception>
    public static async Task<LivePullRequest> LoadAsync(PullRequestUrl target, IReadOnlyDictionary<string, string> environment, string eventName, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(target, environment)).Build();
        if (target.Platform == Platform.GitHub)
        {
            services.AddReviewBotGitHub(configuration);
        }
        else
        {
            services.AddGitLab(configuration);
        }

        var provider = services.BuildServiceProvider();
        var request = new ReviewRequest
        {
            Platform = target.Platform, Repository = target.Repository, Number = target.Number, DeliveryId = eventName, Event = eventName, ReceivedAt = DateTimeOffset.UtcNow,
        };
        try
        {
            var session = await provider.GetServices<IPlatformSessionFactory>().Single(f => f.Platform == target.Platform).CreateAsync(request, cancellationToken).ConfigureAwait(false);
            var snapshot = await session.Source.LoadAsync(request, cancellationToken).ConfigureAwait(false);
            return new LivePullRequest(provider, session, snapshot);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw Failed(target, ex);
        }
    }

    /// <summary>What the CLI says when the platform could not be read or the evaluation failed.</summary>
    public static UsageException Failed(PullRequestUrl target, Exception ex)
        => ex as UsageException ?? new UsageException($"could not evaluate {target.Platform} {target.Repository}#{target.Number}: {ex.GetType().Name}: {ex.Message}");

    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
        => Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary>The platform settings, as the host would read them, with the token and API base from the usual variables.</summary>
    private static Dictionary<string, string?> Settings(PullRequestUrl target, IReadOnlyDictionary<string, string> environment)
    {
        var section = target.Platform == Platform.GitHub ? GitHubOptions.SectionName : GitLabOptions.SectionName;
        var settings = environment
            .Where(e => e.Key.StartsWith(section.Replace(":", "__", StringComparison.Ordinal) + "__", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);
        string? Variable(string name) => environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        if (target.Platform == Platform.GitHub)
        {
            settings[$"{section}:Token"] = Variable(GitHubTokenVariable) ?? Variable(GitHubTokenFallbackVariable) ?? settings.GetValueOrDefault($"{section}:Token")
                ?? throw new UsageException($"no GitHub token: set {GitHubTokenVariable} (or {GitHubTokenFallbackVariable}) to a token that can read {target.Repository}");
            settings[$"{section}:ApiBaseUrl"] = Variable(GitHubApiVariable) ?? target.DefaultApiBase;
            settings.Remove($"{section}:AppId");
        }
        else
        {
            settings[$"{section}:Token"] = Variable(GitLabTokenVariable) ?? settings.GetValueOrDefault($"{section}:Token")
                ?? throw new UsageException($"no GitLab token: set {GitLabTokenVariable} to a token (read_api scope) that can read {target.Repository}");
            settings[$"{section}:BaseUrl"] = Variable(GitLabUrlVariable) ?? target.DefaultApiBase;
            settings[$"{section}:Enabled"] = "true";
        }

        return settings;
    }
}
