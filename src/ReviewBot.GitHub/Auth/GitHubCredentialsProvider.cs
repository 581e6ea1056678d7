using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.GitHub.Api;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.GitHub.Auth;

/// <summary>
/// Credentials for one repository: App mode (JWT → installation token via Octokit, cached until 5 minutes before it
/// expires) or token mode (the configured personal / fine-grained token). Tokens are never logged.
/// </summary>
public sealed class GitHubCredentialsProvider : IDisposable
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly GitHubOptions _options;
    private readonly HttpMessageInvoker _transport;
    private readonly TimeProvider _time;
    private readonly ILogger<GitHubCredentialsProvider> _logger;
    private readonly Lazy<RSA>? _key;
    private readonly ConcurrentDictionary<long, AccessToken> _tokens = new();
    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GitHubCredentialsProvider(IOptions<GitHubOptions> options, GitHubTransport transport, TimeProvider time, ILogger<GitHubCredentialsProvider> logger)
    {
        _options = options.Value;
        _transport = transport.Invoker;
        _time = time;
        _logger = logger;
        if (_options.IsAppMode)
        {
            _key = new Lazy<RSA>(() => GitHubAppJwt.LoadKey(!string.IsNullOrWhiteSpace(_options.PrivateKey)
                ? _options.PrivateKey!
                : File.ReadAllText(_options.PrivateKeyPath!)));
        }
    }

    public bool IsAppMode => _key is not null;

    /// <summary>Installation tokens created so far (tests and diagnostics).</summary>
    public int TokensIssued { get; private set; }

    public async Task<Credentials> GetAsync(string repository, long? installationId, CancellationToken cancellationToken)
    {
        if (_key is null)
        {
            return string.IsNullOrEmpty(_options.Token)
                ? throw new InvalidOperationException("GitHub is not configured: set ReviewBot:GitHub:AppId + PrivateKey(Path), or ReviewBot:GitHub:Token.")
                : new Credentials(_options.Token);
        }

        var id = installationId ?? await FindInstallationAsync(repository, cancellationToken);
        var now = _time.GetUtcNow();
        if (_tokens.TryGetValue(id, out var cached) && cached.ExpiresAt - RefreshMargin > now)
        {
            return new Credentials(cached.Token);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(id, out cached) && cached.ExpiresAt - RefreshMargin > _time.GetUtcNow())
            {
                return new Credentials(cached.Token);
            }

            using var app = AppApi();
            var token = await app.Client.GitHubApps.CreateInstallationToken(id);
            _tokens[id] = token;
            TokensIssued++;
            _logger.LogInformation("Created an installation token for installation {Installation}, valid until {Expiry:u}", id, token.ExpiresAt);
            return new Credentials(token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> FindInstallationAsync(string repository, CancellationToken cancellationToken)
    {
        if (_installations.TryGetValue(repository, out var known))
        {
            return known;
        }

        var (owner, name) = GitHubApi.Split(repository);
        using var app = AppApi();
        var installation = await app.Client.GitHubApps.GetRepositoryInstallationForCurrent(owner, name);
        cancellationToken.ThrowIfCancellationRequested();
        _installations[repository] = installation.Id;
        return installation.Id;
    }

    private GitHubApi AppApi()
        => new(_transport, _options, new Credentials(GitHubAppJwt.Create(_options.AppId!, _key!.Value, _time.GetUtcNow()), AuthenticationType.Bearer), _time, _logger);

    public void Dispose()
    {
        if (_key is { IsValueCreated: true })
        {
            _key.Value.Dispose();
        }

        _gate.Dispose();
    }
}

/// <summary>The one pooled HTTP transport all GitHub sessions share (sessions wrap it; disposing a session leaves it open).</summary>
public sealed class GitHubTransport : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

    public GitHubTransport()
    {
        // Every request of an evaluation counts in its platform API request metric (docs/telemetry.md).
        Invoker = new HttpMessageInvoker(new PlatformRequests.CountingHandler(_handler), disposeHandler: false);
    }

    /// <summary>A transport over another invoker (tests put a recorder or a local API server behind it).</summary>
    public GitHubTransport(HttpMessageInvoker invoker)
    {
        Invoker = invoker;
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }
}
