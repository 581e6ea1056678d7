using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Api;

/// <summary>
/// A small typed GitLab REST v4 client. Token auth (<c>PRIVATE-TOKEN</c>), configurable base URL,
/// retries with back-off on 429 / 5xx / network errors honouring <c>Retry-After</c> and
/// <c>RateLimit-Reset</c>, pagination through <c>X-Next-Page</c>. Every failure throws: a call never
/// "succeeds" without GitLab's 2xx. Client errors (4xx) throw <see cref="GitLabApiException"/>; 429, 5xx and
/// network failures that outlive the retries throw <see cref="PlatformTransientException"/> (inner: the
/// <see cref="GitLabApiException"/>), so the worker may retry the whole evaluation.
/// One instance serves one evaluation; <see cref="RequestCount"/> counts its HTTP requests.
/// </summary>
public sealed class GitLabClient
{
    private const int PerPage = 100;
    private const int MaxPages = 100;

    private static readonly GitLabJsonContext Json = GitLabJsonContext.Default;

    private readonly HttpClient _http;
    private readonly GitLabOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _apiBase;
    private int _requestCount;

    public GitLabClient(HttpClient http, GitLabOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        _apiBase = options.ApiBaseUri;
    }

    /// <summary>HTTP requests sent by this client, retries included.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>A project id for URLs: numeric id, else the URL-encoded full path.</summary>
    public static string ProjectRef(long? projectId, string projectPath)
        => projectId is { } id ? id.ToString(CultureInfo.InvariantCulture) : Uri.EscapeDataString(projectPath);

    // ---- merge requests -------------------------------------------------------------------------

    public Task<GlMergeRequest> GetMergeRequestAsync(string project, long iid, CancellationToken ct = default)
        => GetAsync($"projects/{project}/merge_requests/{iid}", Json.GlMergeRequest, ct);

    public Task<PagedList<GlCommit>> ListMergeRequestCommitsAsync(string project, long iid, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/merge_requests/{iid}/commits", Json.ListGlCommit, ct);

    public Task<PagedList<GlDiff>> ListMergeRequestDiffsAsync(string project, long iid, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/merge_requests/{iid}/diffs", Json.ListGlDiff, ct);

    public Task<PagedList<GlMergeRequestVersion>> ListMergeRequestVersionsAsync(string project, long iid, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/merge_requests/{iid}/versions", Json.ListGlMergeRequestVersion, ct);

    /// <summary>One diff version with its diffs (head against the merge base with the target branch).</summary>
    public Task<GlMergeRequestVersion> GetMergeRequestVersionAsync(string project, long iid, long versionId, CancellationToken ct = default)
        => GetAsync($"projects/{project}/merge_requests/{iid}/versions/{versionId}", Json.GlMergeRequestVersion, ct);

    /// <summary>Merge requests whose commits include <paramref name="sha"/> (any state).</summary>
    public Task<PagedList<GlMergeRequest>> ListMergeRequestsOfCommitAsync(string project, string sha, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/repository/commits/{Uri.EscapeDataString(sha)}/merge_requests", Json.ListGlMergeRequest, ct);

    public Task<GlMergeRequest> UpdateMergeRequestAsync(string project, long iid, GlMergeRequestUpdate update, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Put, $"projects/{project}/merge_requests/{iid}", update, Json.GlMergeRequestUpdate, Json.GlMergeRequest, ct);

    // ---- approvals ------------------------------------------------------------------------------

    public Task<GlApprovals> GetApprovalsAsync(string project, long iid, CancellationToken ct = default)
        => GetAsync($"projects/{project}/merge_requests/{iid}/approvals", Json.GlApprovals, ct);

    public Task<GlApprovalState> GetApprovalStateAsync(string project, long iid, CancellationToken ct = default)
        => GetAsync($"projects/{project}/merge_requests/{iid}/approval_state", Json.GlApprovalState, ct);

    public Task<PagedList<GlApprovalRule>> ListApprovalRulesAsync(string project, long iid, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/merge_requests/{iid}/approval_rules", Json.ListGlApprovalRule, ct);

    public Task<GlApprovalRule> CreateApprovalRuleAsync(string project, long iid, GlApprovalRuleWrite rule, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Post, $"projects/{project}/merge_requests/{iid}/approval_rules", rule, Json.GlApprovalRuleWrite, Json.GlApprovalRule, ct);

    public Task<GlApprovalRule> UpdateApprovalRuleAsync(string project, long iid, long ruleId, GlApprovalRuleWrite rule, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Put, $"projects/{project}/merge_requests/{iid}/approval_rules/{ruleId}", rule, Json.GlApprovalRuleWrite, Json.GlApprovalRule, ct);

    public async Task DeleteApprovalRuleAsync(string project, long iid, long ruleId, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"projects/{project}/merge_requests/{iid}/approval_rules/{ruleId}", null, allowNotFound: true, ct).ConfigureAwait(false);
    }

    // ---- pipelines and statuses -----------------------------------------------------------------

    public Task<PagedList<GlPipeline>> ListPipelinesAsync(string project, string sha, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/pipelines?sha={Uri.EscapeDataString(sha)}&order_by=id&sort=desc", Json.ListGlPipeline, ct);

    /// <summary>Every job of a pipeline, retried attempts included (so each attempt's status is known for a job).</summary>
    public Task<PagedList<GlJob>> ListPipelineJobsAsync(string project, long pipelineId, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/pipelines/{pipelineId}/jobs?include_retried=true", Json.ListGlJob, ct);

    public Task<PagedList<GlCommitStatus>> ListCommitStatusesAsync(string project, string sha, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/repository/commits/{Uri.EscapeDataString(sha)}/statuses", Json.ListGlCommitStatus, ct);

    public Task<GlCommitStatus> PostCommitStatusAsync(string project, string sha, GlCommitStatusWrite status, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Post, $"projects/{project}/statuses/{Uri.EscapeDataString(sha)}", status, Json.GlCommitStatusWrite, Json.GlCommitStatus, ct);

    // ---- members --------------------------------------------------------------------------------

    public Task<PagedList<GlMember>> ListGroupMembersAsync(string groupPath, CancellationToken ct = default)
        => GetPagedAsync($"groups/{Uri.EscapeDataString(groupPath)}/members/all", Json.ListGlMember, ct);

    public Task<PagedList<GlMember>> ListProjectMembersAsync(string project, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/members/all", Json.ListGlMember, ct);

    /// <summary>The group, or null when it does not exist (or the token cannot see it).</summary>
    public Task<GlGroup?> FindGroupAsync(string groupPath, CancellationToken ct = default)
        => GetOrNullAsync($"groups/{Uri.EscapeDataString(groupPath)}", Json.GlGroup, ct);

    /// <summary>The user with this username, or null.</summary>
    public async Task<GlUser?> FindUserAsync(string username, CancellationToken ct = default)
        => (await GetAsync($"users?username={Uri.EscapeDataString(username)}", Json.ListGlUser, ct).ConfigureAwait(false))
            .FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Users whose public email is <paramref name="email"/> (GitLab matches emails exactly; an admin token also matches
    /// private and secondary emails).
    /// </summary>
    public async Task<IReadOnlyList<GlUser>> FindUsersByEmailAsync(string email, CancellationToken ct = default)
        => await GetAsync($"users?search={Uri.EscapeDataString(email)}", Json.ListGlUser, ct).ConfigureAwait(false);

    public Task<GlUser> GetCurrentUserAsync(CancellationToken ct = default)
        => GetAsync("user", Json.GlUser, ct);

    // ---- repository files -----------------------------------------------------------------------

    /// <summary>The file with its blob and commit ids (content base64), or null when absent at that ref.</summary>
    public Task<GlRepositoryFile?> GetFileAsync(string project, string path, string gitRef, CancellationToken ct = default)
        => GetOrNullAsync($"projects/{project}/repository/files/{Uri.EscapeDataString(path)}?ref={Uri.EscapeDataString(gitRef)}", Json.GlRepositoryFile, ct);

    /// <summary>Raw bytes of a file at a ref, or null when absent.</summary>
    public async Task<byte[]?> GetRawFileAsync(string project, string path, string gitRef, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"projects/{project}/repository/files/{Uri.EscapeDataString(path)}/raw?ref={Uri.EscapeDataString(gitRef)}", null, allowNotFound: true, ct).ConfigureAwait(false);
        return response is null ? null : await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    // ---- notes ----------------------------------------------------------------------------------

    public Task<PagedList<GlNote>> ListNotesAsync(string project, long iid, CancellationToken ct = default)
        => GetPagedAsync($"projects/{project}/merge_requests/{iid}/notes?sort=asc&order_by=created_at", Json.ListGlNote, ct);

    public Task<GlNote> CreateNoteAsync(string project, long iid, string body, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Post, $"projects/{project}/merge_requests/{iid}/notes", new GlNoteWrite { Body = body }, Json.GlNoteWrite, Json.GlNote, ct);

    public Task<GlNote> UpdateNoteAsync(string project, long iid, long noteId, string body, CancellationToken ct = default)
        => SendJsonAsync(HttpMethod.Put, $"projects/{project}/merge_requests/{iid}/notes/{noteId}", new GlNoteWrite { Body = body }, Json.GlNoteWrite, Json.GlNote, ct);

    // ---- plumbing -------------------------------------------------------------------------------

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, allowNotFound: false, ct).ConfigureAwait(false);
        return await ReadAsync(response!, "GET", path, type, ct).ConfigureAwait(false);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, allowNotFound: true, ct).ConfigureAwait(false);
        return response is null ? null : await ReadAsync(response, "GET", path, type, ct).ConfigureAwait(false);
    }

    private async Task<TResponse> SendJsonAsync<TBody, TResponse>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, () => JsonContent.Create(body, bodyType), allowNotFound: false, ct).ConfigureAwait(false);
        return await ReadAsync(response!, method.Method, path, responseType, ct).ConfigureAwait(false);
    }

    private async Task<PagedList<T>> GetPagedAsync<T>(string path, JsonTypeInfo<List<T>> type, CancellationToken ct)
    {
        var items = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var page = "1";
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var pagePath = $"{path}{separator}per_page={PerPage}&page={page}";
            using var response = await SendAsync(HttpMethod.Get, pagePath, null, allowNotFound: false, ct).ConfigureAwait(false);
            var batch = await ReadAsync(response!, "GET", pagePath, type, ct).ConfigureAwait(false);
            items.AddRange(batch);
            var next = response!.Headers.TryGetValues("X-Next-Page", out var values) ? values.FirstOrDefault() : null;
            if (string.IsNullOrWhiteSpace(next) || batch.Count == 0)
            {
                return new PagedList<T>(items, Truncated: false);
            }

            page = next.Trim();
        }

        return new PagedList<T>(items, Truncated: true);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string method, string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync(type, ct).ConfigureAwait(false);
            return value ?? throw new GitLabApiException(method, StripQuery(path), response.StatusCode, "empty response body");
        }
        catch (JsonException ex)
        {
            throw new GitLabApiException(method, StripQuery(path), response.StatusCode, "response is not the expected JSON: " + ex.Message, ex);
        }
    }

    /// <summary>Sends with retries. Returns the 2xx response, or null for 404 when <paramref name="allowNotFound"/>; throws otherwise.</summary>
    private async Task<HttpResponseMessage?> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, bool allowNotFound, CancellationToken ct)
    {
        var displayPath = StripQuery(path);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(_apiBase, path));
            request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", _options.Token);
            request.Headers.Accept.ParseAdd("application/json");
            request.Content = content?.Invoke();
            Interlocked.Increment(ref _requestCount);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (attempt >= _options.MaxRetries)
                {
                    throw Transient(new GitLabApiException(method.Method, displayPath, null, ex is TaskCanceledException ? "timed out" : ex.Message, ex), null);
                }

                await Task.Delay(Backoff(attempt), _time, ct).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                var status = (int)response.StatusCode;
                var retryable = status == 429 || status >= 500;
                var message = await ErrorMessageAsync(response, ct).ConfigureAwait(false);
                if (!retryable)
                {
                    throw new GitLabApiException(method.Method, displayPath, response.StatusCode, message);
                }

                var serverDelay = ServerDelay(response);
                if (attempt >= _options.MaxRetries)
                {
                    throw Transient(new GitLabApiException(method.Method, displayPath, response.StatusCode, $"{message} (gave up after {attempt + 1} attempts)"), serverDelay);
                }

                var delay = serverDelay ?? Backoff(attempt);
                if (delay > _options.MaxRetryDelay)
                {
                    throw Transient(new GitLabApiException(method.Method, displayPath, response.StatusCode,
                        $"{message} (GitLab asks to wait {delay.TotalSeconds:0}s, more than MaxRetryDelay {_options.MaxRetryDelay.TotalSeconds:0}s)"), delay);
                }

                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>429 / 5xx / network failures that outlived the retries: the worker may retry the whole evaluation later.</summary>
    private static PlatformTransientException Transient(GitLabApiException error, TimeSpan? retryAfter)
        => new(error.Message, retryAfter, error);

    private TimeSpan Backoff(int attempt) => _options.RetryBaseDelay * Math.Pow(2, attempt);

    /// <summary>What the server asks: <c>Retry-After</c> (seconds or date), else <c>RateLimit-Reset</c> (epoch seconds) on 429.</summary>
    private TimeSpan? ServerDelay(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        var now = _time.GetUtcNow();
        if (retryAfter?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests
            && response.Headers.TryGetValues("RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var reset = DateTimeOffset.FromUnixTimeSeconds(epoch);
            return reset > now ? reset - now : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }

        if (text.Length > 0 && text[0] == '{')
        {
            try
            {
                var error = JsonSerializer.Deserialize(text, Json.GlError);
                if (error?.Message is { } m)
                {
                    text = m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.GetRawText();
                }
                else if (error?.Error is { } e)
                {
                    text = e;
                }
            }
            catch (JsonException)
            {
                // keep the raw text
            }
        }

        text = text.Trim();
        return text.Length == 0 ? "(no body)" : text.Length > 300 ? text[..300] + "…" : text;
    }

    private static string StripQuery(string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        return "/api/v4/" + (q < 0 ? path : path[..q]);
    }
}

/// <summary>All pages of a list; <see cref="Truncated"/> when the page cap stopped the walk.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, bool Truncated);
