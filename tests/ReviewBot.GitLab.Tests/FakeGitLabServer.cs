using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.GitLab.Tests;

/// <summary>A request the fake GitLab saw.</summary>
public sealed record FakeRequest(string Method, string Path, string Query, string? Body, string? Token);

/// <summary>
/// A small fake of GitLab's REST v4 API on Kestrel (127.0.0.1, random port, real HTTP). JSON is written by hand
/// in GitLab's snake_case shape (not with the client's own types), state is mutable, faults can be queued.
/// One project (id <see cref="ProjectId"/>, path <see cref="ProjectPath"/>) with one merge request.
/// </summary>
public sealed class FakeGitLabServer : IAsyncDisposable
{
    public const string Token = "glpat-test-token-not-secret";
    public const long ProjectId = 42;
    public const string ProjectPath = "acme/backend/api";
    public const long BotUserId = 900;

    private readonly WebApplication _app;
    private readonly Queue<(string PathContains, int Status, string? RetryAfter, string? RateLimitReset, string? Method)> _faults = new();
    private long _nextId = 1000;

    private FakeGitLabServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    public List<FakeRequest> Requests { get; } = [];

    public JsonObject MergeRequest { get; set; } = new();
    public List<JsonObject> Commits { get; } = [];
    public List<JsonObject> Diffs { get; } = [];
    public List<JsonObject> Versions { get; } = [];
    public List<JsonObject> ApprovedBy { get; } = [];
    public List<JsonObject> ApprovalRules { get; } = [];
    public List<JsonObject> Pipelines { get; } = [];
    public List<JsonObject> Statuses { get; } = [];
    public List<JsonObject> Notes { get; } = [];
    public Dictionary<(string Ref, string Path), string> Files { get; } = [];

    /// <summary>Files of other projects (e.g. a group's policy project), by project path, ref and file path.</summary>
    public Dictionary<(string Project, string Ref, string Path), string> OtherProjectFiles { get; } = [];
    /// <summary>Known users: username → id.</summary>
    public Dictionary<string, long> Users { get; } = new(StringComparer.OrdinalIgnoreCase) { ["alice"] = 11, ["bob"] = 12, ["carol"] = 13, ["dave"] = 14, ["zed"] = 20 };

    /// <summary>Public emails of users: email → username (GitLab's user search matches these exactly for non-admins).</summary>
    public Dictionary<string, string> PublicEmails { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Diffs of each diff version (head against its merge base), by version id; the newest version defaults to <see cref="Diffs"/>.</summary>
    public Dictionary<long, List<JsonObject>> VersionDiffs { get; } = [];

    /// <summary>A note a user wrote on the merge request (a comment); returns its id.</summary>
    public long AddNote(string username, string body, DateTimeOffset at)
    {
        var id = _nextId++;
        Notes.Add(new JsonObject
        {
            ["id"] = id,
            ["body"] = body,
            ["system"] = false,
            ["created_at"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["author"] = new JsonObject { ["id"] = Users.TryGetValue(username, out var user) ? user : 500 + username.Length, ["username"] = username, ["name"] = username },
        });
        return id;
    }

    /// <summary>A system note, as GitLab writes them for pushes ("added 1 commit …") and assignments ("assigned to @bob").</summary>
    public void AddSystemNote(string username, string body, DateTimeOffset at)
        => Notes.Add(new JsonObject
        {
            ["id"] = _nextId++,
            ["body"] = body,
            ["system"] = true,
            ["created_at"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["author"] = new JsonObject { ["id"] = Users.TryGetValue(username, out var id) ? id : 500 + username.Length, ["username"] = username, ["name"] = username },
        });

    /// <summary>An approval of the merge request by <paramref name="username"/>, given at <paramref name="at"/> (GitLab leaves the time out in some versions).</summary>
    public void Approve(string username, long id, string? at)
    {
        var approval = new JsonObject { ["user"] = new JsonObject { ["id"] = id, ["username"] = username, ["name"] = username } };
        if (at is not null)
        {
            approval["approved_at"] = at;
        }

        lock (this)
        {
            ApprovedBy.Add(approval);
        }
    }

    public List<JsonObject> ProjectMembers { get; } = [Obj("""{ "id": 11, "username": "alice", "state": "active", "access_level": 30 }""")];
    public Dictionary<string, (long Id, List<JsonObject> Members)> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>403 on every approval-rules call (GitLab Free: the merge request approval rules API needs Premium).</summary>
    public bool ApprovalRulesForbidden { get; set; }

    /// <summary>404 on every approval-rules call (GitLab's Community Edition, which has no such endpoints).</summary>
    public bool ApprovalRulesAbsent { get; set; }

    public int PageSize { get; set; } = 100;

    /// <summary>Called with every request before it is answered (a test may, say, kill the bot's process there).</summary>
    public Action<FakeRequest>? OnRequest { get; set; }

    public static async Task<FakeGitLabServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeGitLabServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        server.SeedDefaults();
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>The next request whose path contains <paramref name="pathContains"/> (and whose method is <paramref name="method"/>, when given) answers <paramref name="status"/>.</summary>
    public void FailNext(string pathContains, int status, string? retryAfter = null, string? rateLimitReset = null, string? method = null)
    {
        lock (_faults)
        {
            _faults.Enqueue((pathContains, status, retryAfter, rateLimitReset, method));
        }
    }

    public IReadOnlyList<FakeRequest> RequestsTo(string method, string pathContains)
    {
        lock (Requests)
        {
            return Requests.Where(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();
        }
    }

    public const string HeadSha = "c0ffee0000000000000000000000000000000002";
    public const string FirstSha = "c0ffee0000000000000000000000000000000001";
    public const string BaseSha = "ba5e000000000000000000000000000000000000";

    private void SeedDefaults()
    {
        MergeRequest = Obj($$"""
        {
          "id": 5001, "iid": 7, "project_id": 42, "title": "Add retry to payments client",
          "description": "Generated with the help of an agent.", "state": "opened", "draft": false,
          "source_branch": "feature/retry", "target_branch": "main", "source_project_id": 42, "target_project_id": 42,
          "sha": "{{HeadSha}}",
          "author": { "id": 11, "username": "alice", "name": "Alice", "state": "active" },
          "assignees": [ { "id": 12, "username": "bob", "name": "Bob" } ],
          "reviewers": [ { "id": 13, "username": "carol", "name": "Carol" } ],
          "labels": [ "backend" ],
          "diff_refs": { "base_sha": "{{BaseSha}}", "head_sha": "{{HeadSha}}", "start_sha": "{{BaseSha}}" },
          "web_url": "https://gitlab.example.com/acme/backend/api/-/merge_requests/7",
          "head_pipeline": { "id": 300, "iid": 30, "project_id": 42, "sha": "{{HeadSha}}", "ref": "refs/merge-requests/7/head", "status": "success", "source": "merge_request_event" }
        }
        """);
        Commits.Add(Obj($$"""
        { "id": "{{HeadSha}}", "title": "Retry on 503", "message": "Retry on 503\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
          "author_name": "Alice", "author_email": "alice@example.com", "authored_date": "2026-11-20T10:00:00.000+00:00",
          "committer_name": "Alice", "committer_email": "alice@example.com", "committed_date": "2026-11-20T10:00:00.000+00:00",
          "parent_ids": [ "{{FirstSha}}" ] }
        """));
        Commits.Add(Obj($$"""
        { "id": "{{FirstSha}}", "title": "Add client", "message": "Add client\n",
          "author_name": "Alice", "author_email": "alice@example.com", "authored_date": "2026-11-19T10:00:00.000+00:00",
          "committer_name": "Alice", "committer_email": "alice@example.com", "committed_date": "2026-11-19T10:00:00.000+00:00",
          "parent_ids": [ "{{BaseSha}}" ] }
        """));
        Diffs.Add(Obj("""
        { "old_path": "src/Payments/Client.cs", "new_path": "src/Payments/Client.cs", "a_mode": "100644", "b_mode": "100644",
          "diff": "@@ -1,3 +1,4 @@\n using System;\n-class A {}\n+class A { }\n+class B { }\n", "new_file": false, "renamed_file": false, "deleted_file": false }
        """));
        Diffs.Add(Obj("""
        { "old_path": "src/Old.cs", "new_path": "src/New.cs", "a_mode": "100644", "b_mode": "100644",
          "diff": "", "new_file": false, "renamed_file": true, "deleted_file": false }
        """));
        Versions.Add(Obj($$"""{ "id": 1, "head_commit_sha": "{{FirstSha}}", "base_commit_sha": "{{BaseSha}}", "start_commit_sha": "{{BaseSha}}", "created_at": "2026-11-19T10:05:00.000Z", "state": "collected" }"""));
        Versions.Add(Obj($$"""{ "id": 2, "head_commit_sha": "{{HeadSha}}", "base_commit_sha": "{{BaseSha}}", "start_commit_sha": "{{BaseSha}}", "created_at": "2026-11-20T10:05:00.000Z", "state": "collected" }"""));
        ApprovedBy.Add(Obj("""{ "user": { "id": 12, "username": "bob", "name": "Bob" }, "approved_at": "2026-11-19T12:00:00.000Z" }"""));
        ApprovedBy.Add(Obj("""{ "user": { "id": 14, "username": "dave", "name": "Dave" }, "approved_at": "2026-11-20T12:00:00.000Z" }"""));
        // A merge request pipeline runs on the merge request's own ref, not on the source branch.
        Pipelines.Add(Obj($$"""{ "id": 300, "iid": 30, "sha": "{{HeadSha}}", "ref": "refs/merge-requests/7/head", "status": "success", "source": "merge_request_event", "web_url": "https://gitlab.example.com/p/300" }"""));
        Statuses.Add(Obj($$"""{ "id": 401, "sha": "{{HeadSha}}", "name": "build", "status": "failed", "allow_failure": false, "pipeline_id": 300 }"""));
        Statuses.Add(Obj($$"""{ "id": 402, "sha": "{{HeadSha}}", "name": "build", "status": "success", "allow_failure": false, "pipeline_id": 300 }"""));
        Statuses.Add(Obj($$"""{ "id": 403, "sha": "{{HeadSha}}", "name": "lint", "status": "failed", "allow_failure": true, "pipeline_id": 300 }"""));
        Files[(BaseSha, ".gitlab/reviewbot.yml")] = "version: 1\nrules: []\n";
        Files[(BaseSha, "src/Payments/Client.cs")] = "using System;\nclass A {}\n";
        Files[(HeadSha, "src/Payments/Client.cs")] = "using System;\nclass A { }\nclass B { }\n";
        Groups["acme/seniors"] = (77, [
            Obj("""{ "id": 12, "username": "bob", "name": "Bob", "state": "active", "access_level": 40 }"""),
            Obj("""{ "id": 15, "username": "erin", "name": "Erin", "state": "blocked", "access_level": 40 }"""),
            Obj("""{ "id": 16, "username": "frank", "name": "Frank", "state": "active", "access_level": 10 }"""),
        ]);
    }

    /// <summary>Host settings that point ReviewBot at this server (fast retries, one worker attempt).</summary>
    public Dictionary<string, string?> HostSettings(string webhookSecret) => new()
    {
        ["ReviewBot:GitLab:BaseUrl"] = BaseUri.ToString(),
        ["ReviewBot:GitLab:Token"] = Token,
        ["ReviewBot:GitLab:WebhookSecret"] = webhookSecret,
        ["ReviewBot:GitLab:RetryBaseDelay"] = "00:00:00.010",
        ["ReviewBot:GitLab:MaxRetries"] = "1",
        ["ReviewBot:Worker:MaxAttempts"] = "1",
    };

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? raw : raw[..q];
        var query = q < 0 ? "" : raw[q..];
        string? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }

        var token = context.Request.Headers["PRIVATE-TOKEN"].ToString();
        var recorded = new FakeRequest(context.Request.Method, path, query, body, token);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        OnRequest?.Invoke(recorded);

        if (token != Token)
        {
            await Write(context, 401, """{"message":"401 Unauthorized"}""");
            return;
        }

        (string PathContains, int Status, string? RetryAfter, string? RateLimitReset, string? Method)? fault = null;
        lock (_faults)
        {
            if (_faults.Count > 0 && path.Contains(_faults.Peek().PathContains, StringComparison.Ordinal)
                && (_faults.Peek().Method is null || _faults.Peek().Method == context.Request.Method))
            {
                fault = _faults.Dequeue();
            }
        }

        if (fault is { } f)
        {
            if (f.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = f.RetryAfter;
            }

            if (f.RateLimitReset is not null)
            {
                context.Response.Headers["RateLimit-Reset"] = f.RateLimitReset;
            }

            context.Response.StatusCode = f.Status;
            await context.Response.WriteAsync(f.Status == 429 ? "Retry later" : "{\"message\":\"fault\"}");
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 2 || segments[0] != "api" || segments[1] != "v4")
        {
            await Write(context, 404, """{"message":"404 Not Found"}""");
            return;
        }

        var s = segments[2..];
        string payload;
        string contentType;
        lock (this)
        {
            (int status, JsonNode? json, string? text) = Route(context.Request.Method, s, context.Request.Query, body);
            context.Response.StatusCode = status;
            if (json is JsonArray array)
            {
                Page(context, array, out json);
            }

            payload = text ?? json?.ToJsonString() ?? "";
            contentType = text is null ? "application/json" : "text/plain";
        }

        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(payload);
    }

    private void Page(HttpContext context, JsonArray all, out JsonNode? page)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], CultureInfo.InvariantCulture, out var pp) ? Math.Min(pp, PageSize) : PageSize;
        var number = int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var pn) ? pn : 1;
        var items = all.Skip((number - 1) * perPage).Take(perPage).Select(n => n?.DeepClone()).ToArray();
        page = new JsonArray(items);
        context.Response.Headers["X-Next-Page"] = number * perPage < all.Count ? (number + 1).ToString(CultureInfo.InvariantCulture) : "";
        context.Response.Headers["X-Total"] = all.Count.ToString(CultureInfo.InvariantCulture);
    }

    private static Task Write(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    private static JsonObject FileJson(string filePath, string gitRef, string text) => new()
    {
        ["file_path"] = filePath,
        ["ref"] = gitRef,
        ["encoding"] = "base64",
        ["content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
        ["blob_id"] = "b10b",
        ["commit_id"] = "7a26e7",
        ["last_commit_id"] = "1a57",
    };

    private static JsonArray Arr(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode?)i.DeepClone()).ToArray());

    private static readonly (int, JsonNode?, string?) NotFound = (404, JsonNode.Parse("""{"message":"404 Not Found"}"""), null);

    private (int Status, JsonNode? Json, string? Text) Route(string method, string[] s, IQueryCollection query, string? body)
    {
        if (s is ["user"] && method == "GET")
        {
            return (200, Obj($$"""{ "id": {{BotUserId}}, "username": "project_42_bot_abc", "name": "ReviewBot", "bot": true }"""), null);
        }

        if (s is ["users"] && method == "GET" && query.ContainsKey("search"))
        {
            // Non-admin search: public emails match exactly, usernames and names by substring; basic fields only.
            var term = query["search"].ToString();
            var matches = Users.Keys.Where(u => u.Contains(term, StringComparison.OrdinalIgnoreCase)
                || PublicEmails.Any(e => string.Equals(e.Key, term, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Value, u, StringComparison.OrdinalIgnoreCase)));
            return (200, new JsonArray([.. matches.Select(u => (JsonNode)new JsonObject { ["id"] = Users[u], ["username"] = u, ["name"] = u, ["state"] = "active" })]), null);
        }

        if (s is ["users"] && method == "GET")
        {
            var username = query["username"].ToString();
            return (200, Users.TryGetValue(username, out var userId) ? new JsonArray(new JsonObject { ["id"] = userId, ["username"] = username }) : new JsonArray(), null);
        }

        if (s is ["groups", var group] && method == "GET")
        {
            return Groups.TryGetValue(group, out var g) ? (200, Obj($$"""{ "id": {{g.Id}}, "full_path": "{{group}}", "name": "{{group}}" }"""), null) : NotFound;
        }

        if (s is ["groups", var group2, "members", "all"] && method == "GET")
        {
            return Groups.TryGetValue(group2, out var g) ? (200, Arr(g.Members), null) : NotFound;
        }

        if (s is ["projects", var other, "repository", "files", var otherFile] && method == "GET" && OtherProjectFiles.Keys.Any(k => k.Project == other))
        {
            return OtherProjectFiles.TryGetValue((other, query["ref"].ToString(), otherFile), out var otherText) ? (200, FileJson(otherFile, query["ref"].ToString(), otherText), null) : NotFound;
        }

        if (s.Length < 2 || s[0] != "projects" || (s[1] != ProjectId.ToString(CultureInfo.InvariantCulture) && s[1] != ProjectPath))
        {
            return NotFound;
        }

        var r = s[2..];
        switch (r)
        {
            case ["merge_requests", var i] when Find(i) is { } m && method == "GET":
                return (200, m.MergeRequest.DeepClone(), null);
            case ["merge_requests", var i] when Find(i) is { } m && method == "PUT":
                var update = JsonNode.Parse(body ?? "{}")!.AsObject();
                var labels = m.MergeRequest["labels"]!.AsArray();
                foreach (var label in (update["add_labels"]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (labels.All(l => l!.GetValue<string>() != label))
                    {
                        labels.Add(label);
                    }
                }

                if (update["reviewer_ids"] is JsonArray reviewerIds)
                {
                    m.MergeRequest["reviewers"] = new JsonArray(reviewerIds.Select(id => (JsonNode?)new JsonObject
                    {
                        ["id"] = id!.GetValue<long>(),
                        ["username"] = Users.FirstOrDefault(u => u.Value == id.GetValue<long>()).Key,
                    }).ToArray());
                }

                return (200, m.MergeRequest.DeepClone(), null);
            case ["merge_requests", var i, "commits"] when Find(i) is { } m && method == "GET":
                return (200, Arr(m.Commits), null);
            case ["merge_requests", var i, "diffs"] when Find(i) is { } m && method == "GET":
                return (200, Arr(m.Diffs), null);
            case ["merge_requests", var i, "versions"] when Find(i) is { } m && method == "GET":
                return (200, Arr(m.Versions), null);
            case ["merge_requests", var i, "versions", var v] when Find(i) is { } m && method == "GET":
                var version = m.Versions.FirstOrDefault(x => x["id"]!.ToString() == v);
                if (version is null)
                {
                    return NotFound;
                }

                var versionId = version["id"]!.GetValue<long>();
                var newest = m.Versions.Max(x => x["id"]!.GetValue<long>());
                var diffs = VersionDiffs.TryGetValue(versionId, out var own) ? own : versionId == newest ? m.Diffs : [];
                var detail = version.DeepClone().AsObject();
                detail["diffs"] = Arr(diffs);
                return (200, detail, null);
            case ["merge_requests", var i, "approvals"] when Find(i) is { } m && method == "GET":
                return (200, new JsonObject { ["approved"] = m.ApprovedBy.Count > 0, ["approved_by"] = Arr(m.ApprovedBy) }, null);
            case ["merge_requests", var i, "approval_state"] when Find(i) is { } m && method == "GET":
                return ApprovalRulesForbidden
                    ? (403, Obj("""{"message":"403 Forbidden"}"""), null)
                    : (200, new JsonObject { ["approval_rules_overwritten"] = m.ApprovalRules.Count > 0, ["rules"] = Arr(m.ApprovalRules) }, null);
            case ["members", "all"] when method == "GET":
                return (200, Arr(ProjectMembers), null);
            case ["merge_requests", var i, "approval_rules", ..] when Find(i) is not null && ApprovalRulesAbsent:
                return NotFound;
            case ["merge_requests", var i, "approval_rules", ..] when Find(i) is not null && ApprovalRulesForbidden:
                return (403, Obj("""{"message":"403 Forbidden"}"""), null);
            case ["merge_requests", var i, "approval_rules"] when Find(i) is { } m && method == "GET":
                return (200, Arr(m.ApprovalRules), null);
            case ["merge_requests", var i, "approval_rules"] when Find(i) is { } m && method == "POST":
                var created = RuleFrom(JsonNode.Parse(body!)!.AsObject(), _nextId);
                if (RuleRefusal(m.ApprovalRules, created) is { } refusedCreate)
                {
                    return refusedCreate;
                }

                _nextId++;
                m.ApprovalRules.Add(created);
                return (201, created.DeepClone(), null);
            case ["merge_requests", var i, "approval_rules", var id] when Find(i) is { } m && method == "PUT":
                var index = m.ApprovalRules.FindIndex(x => x["id"]!.ToString() == id);
                if (index < 0)
                {
                    return NotFound;
                }

                var updated = RuleFrom(JsonNode.Parse(body!)!.AsObject(), long.Parse(id, CultureInfo.InvariantCulture));
                if (RuleRefusal(m.ApprovalRules.Where((_, n) => n != index), updated) is { } refusedUpdate)
                {
                    return refusedUpdate;
                }

                m.ApprovalRules[index] = updated;
                return (200, m.ApprovalRules[index].DeepClone(), null);
            case ["merge_requests", var i, "approval_rules", var id] when Find(i) is { } m && method == "DELETE":
                return m.ApprovalRules.RemoveAll(x => x["id"]!.ToString() == id) > 0 ? (204, null, "") : NotFound;
            case ["merge_requests", var i, "notes"] when Find(i) is { } m && method == "GET":
                return (200, Arr(m.Notes), null);
            case ["merge_requests", var i, "notes"] when Find(i) is { } m && method == "POST":
                var note = new JsonObject
                {
                    ["id"] = _nextId++,
                    ["body"] = JsonNode.Parse(body!)!["body"]!.GetValue<string>(),
                    ["system"] = false,
                    ["author"] = Obj($$"""{ "id": {{BotUserId}}, "username": "project_42_bot_abc" }"""),
                };
                m.Notes.Add(note);
                return (201, note.DeepClone(), null);
            case ["merge_requests", var i, "notes", var id] when Find(i) is { } m && method == "PUT":
                var existing = m.Notes.FirstOrDefault(n => n["id"]!.ToString() == id);
                if (existing is null)
                {
                    return NotFound;
                }

                existing["body"] = JsonNode.Parse(body!)!["body"]!.GetValue<string>();
                return (200, existing.DeepClone(), null);
            case ["pipelines", var pipelineId, "jobs"] when method == "GET":
                return (200, Jobs(long.Parse(pipelineId, CultureInfo.InvariantCulture), query["include_retried"] == "true"), null);
            case ["pipelines"] when method == "GET":
                // GitLab lists pipelines newest first (order_by id, sort desc) unless asked otherwise.
                var ofSha = Pipelines.Where(p => p["sha"]!.GetValue<string>() == query["sha"].ToString()).OrderByDescending(p => p["id"]!.GetValue<long>());
                return (200, Arr(query["sort"].ToString() == "asc" ? ofSha.Reverse() : ofSha), null);
            case ["repository", "commits", var sha, "merge_requests"] when method == "GET":
                return (200, new JsonArray([.. All().Where(x => x.MergeRequest["sha"]!.GetValue<string>() == sha || x.Commits.Any(c => c["id"]!.GetValue<string>() == sha))
                    .Select(x => (JsonNode?)x.MergeRequest.DeepClone())]), null);
            case ["repository", "commits", var sha, "statuses"] when method == "GET":
                return (200, Arr(Statuses.Where(x => x["sha"]!.GetValue<string>() == sha)), null);
            case ["statuses", var sha] when method == "POST":
                return PostStatus(sha, JsonNode.Parse(body!)!.AsObject());
            case ["repository", "files", var filePath, "raw"] when method == "GET":
                return Files.TryGetValue((query["ref"].ToString(), filePath), out var rawText) ? (200, null, rawText) : NotFound;
            case ["repository", "files", var filePath] when method == "GET":
                var gitRef = query["ref"].ToString();
                return Files.TryGetValue((gitRef, filePath), out var text)
                    ? (200, FileJson(filePath, gitRef, text), null)
                    : NotFound;
            default:
                return NotFound;
        }
    }

    /// <summary>One merge request's state; the default one (iid 7) is the server's own top-level lists.</summary>
    public sealed record FakeMergeRequest(JsonObject MergeRequest, List<JsonObject> Commits, List<JsonObject> Diffs, List<JsonObject> Versions,
        List<JsonObject> ApprovedBy, List<JsonObject> ApprovalRules, List<JsonObject> Notes)
    {
        public FakeMergeRequest(JsonObject mergeRequest)
            : this(mergeRequest, [], [], [], [], [], [])
        {
        }
    }

    /// <summary>More merge requests of the project, by iid (tests with many merge requests).</summary>
    public Dictionary<long, FakeMergeRequest> MoreMergeRequests { get; } = [];

    /// <summary>Changes the server's state atomically with respect to the requests it serves (a push, an approval).</summary>
    public void Update(Action<FakeGitLabServer> change)
    {
        lock (this)
        {
            change(this);
        }
    }

    private FakeMergeRequest Default => new(MergeRequest, Commits, Diffs, Versions, ApprovedBy, ApprovalRules, Notes);

    private IEnumerable<FakeMergeRequest> All() => [Default, .. MoreMergeRequests.Values];

    private FakeMergeRequest? Find(string iid)
        => iid == MergeRequest["iid"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture) ? Default
            : long.TryParse(iid, CultureInfo.InvariantCulture, out var n) && MoreMergeRequests.TryGetValue(n, out var other) ? other : null;

    private static readonly string[] StatusStates = ["pending", "running", "success", "failed", "canceled", "skipped"];

    /// <summary>Ids of the statuses posted through <c>POST /statuses/:sha</c>: GitLab keeps them as external statuses, never as CI jobs.</summary>
    private readonly HashSet<long> _externalStatusIds = [];

    /// <summary>
    /// GitLab's jobs API: the CI jobs of a pipeline (every status of it but the external ones), each with the same id it has
    /// among the commit's statuses; retried attempts only with <c>include_retried=true</c>.
    /// </summary>
    private JsonArray Jobs(long pipelineId, bool includeRetried)
    {
        var jobs = Statuses.Where(s => s["pipeline_id"]?.GetValue<long>() == pipelineId && !_externalStatusIds.Contains(s["id"]!.GetValue<long>())).ToList();
        if (!includeRetried)
        {
            jobs = [.. jobs.GroupBy(j => j["name"]!.GetValue<string>()).Select(g => g.MaxBy(j => j["id"]!.GetValue<long>())!)];
        }

        return new JsonArray([.. jobs.OrderByDescending(j => j["id"]!.GetValue<long>()).Select(j => (JsonNode)new JsonObject
        {
            ["id"] = j["id"]!.GetValue<long>(),
            ["name"] = j["name"]!.GetValue<string>(),
            ["status"] = j["status"]!.GetValue<string>(),
            ["stage"] = "test",
            ["allow_failure"] = j["allow_failure"]?.GetValue<bool>() ?? false,
            ["web_url"] = $"https://gitlab.example.com/{ProjectPath}/-/jobs/{j["id"]}",
            ["pipeline"] = new JsonObject { ["id"] = pipelineId, ["project_id"] = ProjectId },
        })]);
    }

    /// <summary>
    /// GitLab's commit status API (POST /projects/:id/statuses/:sha): the state must be one of its six (else 400); the commit
    /// must be known (else 404); the ref defaults to a branch holding the commit. The status goes into the newest pipeline of
    /// that ref and SHA, or into a new pipeline of source <c>external</c> when there is none. A pending or running external
    /// status (never a CI job) of the same name in that pipeline is reused and moved through GitLab's state machine (enqueue: created → pending;
    /// run: created/pending → running; success, drop, cancel: from created/pending/running; skip: from created/pending); a
    /// transition it does not allow (pending → pending, running → running, running → pending …) is a 400 naming the event
    /// and changes nothing. The pipeline's status is then recomposed from its jobs.
    /// </summary>
    private (int, JsonNode?, string?) PostStatus(string sha, JsonObject write)
    {
        var state = write["state"]?.GetValue<string>();
        if (state is null || !StatusStates.Contains(state))
        {
            return (400, Obj("""{"error":"state does not have a valid value"}"""), null);
        }

        var owner = All().FirstOrDefault(x => x.MergeRequest["sha"]!.GetValue<string>() == sha || x.Commits.Any(c => c["id"]!.GetValue<string>() == sha));
        if (owner is null)
        {
            return (404, Obj("""{"message":"404 Commit Not Found"}"""), null);
        }

        var gitRef = write["ref"]?.GetValue<string>() ?? owner.MergeRequest["source_branch"]!.GetValue<string>();
        var name = write["name"]?.GetValue<string>() ?? write["context"]?.GetValue<string>() ?? "default";
        var pipeline = Pipelines.Where(p => p["sha"]!.GetValue<string>() == sha && p["ref"]?.GetValue<string>() == gitRef).MaxBy(p => p["id"]!.GetValue<long>());
        if (pipeline is null)
        {
            var id = _nextId++;
            pipeline = new JsonObject
            {
                ["id"] = id, ["iid"] = id, ["sha"] = sha, ["ref"] = gitRef, ["status"] = "created", ["source"] = "external",
                ["web_url"] = $"https://gitlab.example.com/{ProjectPath}/-/pipelines/{id}",
            };
            Pipelines.Add(pipeline);
        }

        var pipelineId = pipeline["id"]!.GetValue<long>();
        var current = Statuses.LastOrDefault(x => x["sha"]!.GetValue<string>() == sha && x["name"]!.GetValue<string>() == name
            && x["pipeline_id"]?.GetValue<long>() == pipelineId && x["status"]!.GetValue<string>() is "pending" or "running"
            && _externalStatusIds.Contains(x["id"]!.GetValue<long>()));
        var from = current?["status"]!.GetValue<string>() ?? "created";
        var (transition, allowed) = state switch
        {
            "pending" => ("enqueue", from == "created"),
            "running" => ("run", from is "created" or "pending"),
            "skipped" => ("skip", from is "created" or "pending"),
            "success" => ("success", true),
            "failed" => ("drop", true),
            _ => ("cancel", true),
        };
        if (!allowed)
        {
            return (400, Obj($$"""{"message":"Cannot transition status via :{{transition}} from :{{from}} (Reason(s): Status cannot transition via \"{{transition}}\")"}"""), null);
        }

        var status = current ?? new JsonObject { ["id"] = _nextId++, ["sha"] = sha, ["name"] = name, ["allow_failure"] = false, ["pipeline_id"] = pipelineId };
        status["status"] = state;
        status["ref"] = gitRef;
        status["description"] = write["description"]?.GetValue<string>();
        status["target_url"] = write["target_url"]?.GetValue<string>();
        if (current is null)
        {
            Statuses.Add(status);
            _externalStatusIds.Add(status["id"]!.GetValue<long>());
        }

        pipeline["status"] = PipelineStatus(Statuses.Where(x => x["pipeline_id"]?.GetValue<long>() == pipelineId));
        StatusHistory.Add(state);
        return (201, status.DeepClone(), null);
    }

    /// <summary>A pipeline's status from the newest job of each name: queued or running jobs keep it going, a failure not allowed fails it.</summary>
    private static string PipelineStatus(IEnumerable<JsonObject> jobs)
    {
        var states = jobs.GroupBy(j => j["name"]!.GetValue<string>())
            .Select(g => g.MaxBy(j => j["id"]!.GetValue<long>())!)
            .Select(j => j["allow_failure"]?.GetValue<bool>() == true && j["status"]!.GetValue<string>() == "failed" ? "success" : j["status"]!.GetValue<string>())
            .ToList();
        return states.All(x => x == "pending") ? "pending"
            : states.Any(x => x is "pending" or "running" or "created") ? "running"
            : states.Contains("failed") ? "failed"
            : states.All(x => x == "canceled") ? "canceled"
            : states.All(x => x == "skipped") ? "skipped"
            : "success";
    }

    /// <summary>Every state successfully posted, in order.</summary>
    public List<string> StatusHistory { get; } = [];

    private JsonObject RuleFrom(JsonObject write, long id)
    {
        var users = new JsonArray();
        foreach (var username in write["usernames"]?.AsArray() ?? [])
        {
            users.Add(Obj($$"""{ "id": {{Math.Abs(username!.GetValue<string>().GetHashCode(StringComparison.Ordinal)) % 10000}}, "username": "{{username}}" }"""));
        }

        var groups = new JsonArray();
        foreach (var groupId in write["group_ids"]?.AsArray() ?? [])
        {
            var match = Groups.FirstOrDefault(g => g.Value.Id == groupId!.GetValue<long>());
            groups.Add(new JsonObject { ["id"] = groupId!.GetValue<long>(), ["full_path"] = match.Key });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["name"] = write["name"]!.GetValue<string>(),
            // GitLab makes a merge request rule that names no users and no groups its "any approver" rule.
            ["rule_type"] = users.Count == 0 && groups.Count == 0 ? "any_approver" : "regular",
            ["approvals_required"] = write["approvals_required"]!.GetValue<int>(),
            ["users"] = users,
            ["groups"] = groups,
        };
    }

    /// <summary>
    /// GitLab's validations of a merge request approval rule (ApprovalMergeRequestRule): one "any approver" rule per merge
    /// request, and names unique per rule type. A refusal is a 400 with the errors by attribute.
    /// </summary>
    private static (int, JsonNode?, string?)? RuleRefusal(IEnumerable<JsonObject> others, JsonObject rule)
    {
        var type = rule["rule_type"]!.GetValue<string>();
        if (type == "any_approver" && others.Any(r => r["rule_type"]?.GetValue<string>() == "any_approver"))
        {
            return (400, Obj("""{"message":{"rule_type":["any-approver for the merge request already exists"]}}"""), null);
        }

        if (others.Any(r => r["rule_type"]?.GetValue<string>() == type && r["name"]!.GetValue<string>() == rule["name"]!.GetValue<string>()))
        {
            return (400, Obj("""{"message":{"name":["has already been taken"]}}"""), null);
        }

        return null;
    }

    public JsonObject[] StatusesNamed(string name) => Statuses.Where(x => x["name"]!.GetValue<string>() == name).OrderBy(x => x["id"]!.GetValue<long>()).ToArray();

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
