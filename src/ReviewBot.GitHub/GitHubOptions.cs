namespace ReviewBot.GitHub;

/// <summary>
/// Settings bound from configuration section <c>ReviewBot:GitHub</c> (appsettings.json, or environment variables
/// such as <c>ReviewBot__GitHub__WebhookSecret</c>). A class, not a record: it must never print its secrets.
/// </summary>
public sealed class GitHubOptions
{
    public const string SectionName = "ReviewBot:GitHub";

    /// <summary>Serve <c>POST /api/github</c> (default true). When false, no GitHub setting is required.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>GitHub App id (or client id): App mode when set together with a private key.</summary>
    public string? AppId { get; set; }

    /// <summary>PEM text of the App's private key (secret).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Path of a PEM file holding the App's private key (alternative to <see cref="PrivateKey"/>).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Webhook secret shared with GitHub (secret). Required unless <see cref="AllowUnsignedWebhooks"/>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Development only: accept webhooks without a configured secret. Logged loudly at start and per delivery.</summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>Token mode: a personal or fine-grained access token (secret), used instead of an App.</summary>
    public string? Token { get; set; }

    /// <summary>REST API base URL: https://api.github.com/ or https://HOST/api/v3/ for GitHub Enterprise Server.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.github.com/";

    /// <summary>GraphQL endpoint; default derived from <see cref="ApiBaseUrl"/> (…/graphql, or /api/graphql on GHES).</summary>
    public string? GraphQLUrl { get; set; }

    /// <summary>How the decision is reported: "check-run", "status", or "auto" (check run in App mode, commit status with a token).</summary>
    public string ReportAs { get; set; } = "auto";

    /// <summary>Name of the check run (what branch protection requires).</summary>
    public string CheckName { get; set; } = "ReviewBot";

    /// <summary>Rules file path in the repository, read at the base commit; unset: the rules locator's documented paths, in order.</summary>
    public string? RulesPath { get; set; }

    /// <summary>The owner's repository holding the organisation's rules file (same paths, default branch); empty: none.</summary>
    public string? OrgRulesRepository { get; set; } = ".github";

    /// <summary>Apply the built-in policy (rules/default.yml) when neither the repository nor the organisation has rules (default on every platform).</summary>
    public bool UseBuiltInDefault { get; set; } = true;

    /// <summary>Post (and update in place) one sticky summary comment on the pull request.</summary>
    public bool Comment { get; set; }

    /// <summary>Apply the labels the decision asks for.</summary>
    public bool Labels { get; set; } = true;

    /// <summary>Request reviews from the groups the decision names.</summary>
    public bool RequestReviews { get; set; } = true;

    /// <summary>Largest accepted webhook body in bytes (GitHub caps payloads at 25 MB).</summary>
    public long MaxPayloadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Most changed files loaded per pull request (GitHub's API lists at most 3000).</summary>
    public int MaxFiles { get; set; } = 3000;

    /// <summary>Longest wait honoured inside one API call for Retry-After / rate-limit reset before the evaluation is retried later.</summary>
    public TimeSpan MaxInlineRetryWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of one API call (rate limits, 5xx on reads) before giving up to the worker's retry.</summary>
    public int MaxCallRetries { get; set; } = 2;

    /// <summary>Base delay of the exponential backoff between call retries.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsAppMode => !string.IsNullOrWhiteSpace(AppId)
        && (!string.IsNullOrWhiteSpace(PrivateKey) || !string.IsNullOrWhiteSpace(PrivateKeyPath));

    public Uri ApiBaseUri => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/");

    public Uri GraphQLUri
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(GraphQLUrl))
            {
                return new Uri(GraphQLUrl);
            }

            var api = ApiBaseUri;
            var path = api.AbsolutePath.TrimEnd('/');
            return path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)
                ? new Uri(api, path[..^"/v3".Length] + "/graphql")
                : new Uri(api, "graphql");
        }
    }

    /// <summary>
    /// Configuration problems that stop the host from starting (no secrets in the messages). The webhook secret is checked
    /// by the one start-up validation of the webhook intake.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (!string.IsNullOrWhiteSpace(AppId) && string.IsNullOrWhiteSpace(PrivateKey) && string.IsNullOrWhiteSpace(PrivateKeyPath))
        {
            errors.Add("ReviewBot:GitHub:AppId is set but neither PrivateKey nor PrivateKeyPath is.");
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _))
        {
            errors.Add($"ReviewBot:GitHub:ApiBaseUrl '{ApiBaseUrl}' is not an absolute URL.");
        }

        if (ReportAs is not ("auto" or "check-run" or "status"))
        {
            errors.Add($"ReviewBot:GitHub:ReportAs '{ReportAs}' is not one of: auto, check-run, status.");
        }

        if (string.IsNullOrWhiteSpace(CheckName))
        {
            errors.Add("ReviewBot:GitHub:CheckName must not be empty.");
        }

        return errors;
    }
}
