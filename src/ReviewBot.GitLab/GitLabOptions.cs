namespace ReviewBot.GitLab;

/// <summary>
/// Settings under <c>ReviewBot:GitLab</c>. Secrets (<see cref="Token"/>, <see cref="WebhookSecret"/>,
/// <see cref="SigningSecret"/>) are never logged nor written to notes, statuses or the audit log.
/// </summary>
public sealed record GitLabOptions
{
    public const string SectionName = "ReviewBot:GitLab";

    /// <summary>GitLab is served when the section exists; set false to switch it off explicitly.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Instance URL (self-managed: your host); the API lives under <c>/api/v4</c>.</summary>
    public string BaseUrl { get; set; } = "https://gitlab.com";

    /// <summary>Project / group access token (scope <c>api</c>), sent as <c>PRIVATE-TOKEN</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The webhook's "Secret token": compared in constant time with <c>X-Gitlab-Token</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The webhook's signing token (<c>whsec_…</c>): verifies <c>webhook-signature</c> (Standard Webhooks).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Development only: accept deliveries when no secret is configured. Logged loudly at start and per delivery. Never in production.</summary>
    public bool AllowUnauthenticatedWebhooks { get; set; }

    /// <summary>Accepted clock skew of <c>webhook-timestamp</c>.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest webhook body accepted (bytes).</summary>
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Name (context) of the commit status ReviewBot posts on the head SHA.</summary>
    public string StatusName { get; set; } = "reviewbot";

    /// <summary>Link of the commit status; <c>{project}</c>, <c>{iid}</c> and <c>{sha}</c> are replaced. Default: the merge request.</summary>
    public string? TargetUrl { get; set; }

    /// <summary>
    /// Rules file path in the repository, read at the merge request's base commit. Unset: the rules locator's
    /// documented paths, in order (the first that exists).
    /// </summary>
    public string? RulesPath { get; set; }

    /// <summary>
    /// The organisation's rules: a policy project per group (group path → project path), read at its default
    /// branch. A merge request's project uses the entry of its nearest enclosing group.
    /// </summary>
    public Dictionary<string, string> PolicyProjects { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Apply the built-in policy (rules/default.yml) when neither the project nor the organisation has rules (default on every platform); false: enforce nothing.</summary>
    public bool UseBuiltInDefault { get; set; } = true;

    /// <summary>The policy project of the nearest group enclosing <paramref name="projectPath"/>; null when none is configured (or it is the project itself).</summary>
    public string? PolicyProjectFor(string projectPath)
    {
        for (var group = projectPath; group.LastIndexOf('/') is var slash and > 0;)
        {
            group = group[..slash];
            if (PolicyProjects.TryGetValue(group, out var policy) && !string.IsNullOrWhiteSpace(policy))
            {
                return string.Equals(policy, projectPath, StringComparison.OrdinalIgnoreCase) ? null : policy;
            }
        }

        return null;
    }

    /// <summary>Prefix of the names of approval rules ReviewBot owns (only those are created, updated, deleted).</summary>
    public string ApprovalRulePrefix { get; set; } = "reviewbot: ";

    /// <summary>Keep merge request approval rules in sync with the decision (Premium/Ultimate).</summary>
    public bool SyncApprovalRules { get; set; } = true;

    /// <summary>Apply the labels the rules ask for.</summary>
    public bool ApplyLabels { get; set; } = true;

    /// <summary>Request reviews from the users the rules name (GitLab reviewers; groups are named by approval rules).</summary>
    public bool RequestReviewers { get; set; } = true;

    /// <summary>Lowest access level counted as a group member (30 = Developer).</summary>
    public int MinimumAccessLevel { get; set; } = 30;

    /// <summary>Retries of one API call on 429 / 5xx / network errors.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; doubles each retry unless the server says how long to wait.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait accepted from <c>Retry-After</c> / <c>RateLimit-Reset</c>; longer means fail now.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri ApiBaseUri => new(BaseUrl.TrimEnd('/') + "/api/v4/");

    /// <summary>The settings without their secrets (only whether each is set), safe for logs.</summary>
    public override string ToString()
        => $"GitLab {{ BaseUrl = {BaseUrl}, Token = {Set(Token)}, WebhookSecret = {Set(WebhookSecret)}, SigningSecret = {Set(SigningSecret)}, "
            + $"StatusName = {StatusName}, RulesPath = {RulesPath ?? "(default paths)"}, PolicyProjects = {PolicyProjects.Count} }}";

    private static string Set(string? secret) => string.IsNullOrEmpty(secret) ? "(unset)" : "(set)";

    /// <summary>Problems that stop the host from starting; empty when valid (the webhook secrets are checked by the intake's start-up validation).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            errors.Add($"{SectionName}:BaseUrl must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            errors.Add($"{SectionName}:Token is required (a project or group access token with the api scope).");
        }

        if (!string.IsNullOrEmpty(SigningSecret) && Webhooks.GitLabWebhookVerifier.DecodeSigningKey(SigningSecret) is null)
        {
            errors.Add($"{SectionName}:SigningSecret must be GitLab's signing token: \"whsec_\" followed by base64.");
        }

        if (string.IsNullOrWhiteSpace(StatusName) || StatusName.Length > 255)
        {
            errors.Add($"{SectionName}:StatusName must be 1-255 characters.");
        }

        if (string.IsNullOrWhiteSpace(ApprovalRulePrefix))
        {
            errors.Add($"{SectionName}:ApprovalRulePrefix must not be empty (it marks the approval rules ReviewBot owns).");
        }

        if (MaxRetries < 0 || SignatureTolerance <= TimeSpan.Zero || MaxBodyBytes <= 0)
        {
            errors.Add($"{SectionName}: MaxRetries must be >= 0, SignatureTolerance and MaxBodyBytes positive.");
        }

        return errors;
    }
}
