using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>
/// A small stand-in for api.github.com on Kestrel (127.0.0.1, free port), over real HTTP: it serves one repository's
/// pull requests, files, commits, reviews, checks, statuses, team members, blobs (GraphQL) and App installation tokens
/// from mutable state, applies the writes the bot makes (check runs, review requests, labels, comments, statuses),
/// records every request, and can be told to fail (5xx, rate limits).
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private long _nextId = 1000;

    private FakeGitHub(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Dictionary<long, FakePullRequest> PullRequests { get; } = [];

    public List<JsonObject> CheckRuns { get; } = [];

    public List<JsonObject> Statuses { get; } = [];

    public List<JsonObject> Comments { get; } = [];

    /// <summary>What the organisation's webhook receiver (<c>POST /org-hooks/{name}</c>) was sent.</summary>
    public List<JsonObject> Announcements { get; } = [];

    /// <summary>Blobs by GraphQL expression "SHA:path" (and "owner/repo@HEAD:path" for other repositories).</summary>
    public Dictionary<string, string> Blobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string[]> Teams { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tokens that may not read team membership (as an Actions GITHUB_TOKEN): the members endpoint answers them 403.</summary>
    public HashSet<string> TokensWithoutTeamAccess { get; } = new(StringComparer.Ordinal);

    /// <summary>Verified emails of accounts: GitHub links commit authors and co-authors to accounts through these.</summary>
    public Dictionary<string, (string Login, long Id)> VerifiedEmails { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Repository activity (pushes), newest first, as <c>GET /repos/{owner}/{repo}/activity</c> lists it.</summary>
    public List<JsonObject> Activities { get; } = [];

    /// <summary>Files of each commit's diff against its merge base with the base branch (three-dot compare), by commit SHA.</summary>
    public Dictionary<string, List<JsonObject>> MergeBaseDiffs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Commits of branches that are no pull request's (the merge queue's), by SHA: first parent and message.</summary>
    public Dictionary<string, (string Parent, string Message)> BranchCommits { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Branches by full ref name (<c>refs/heads/…</c>) → commit SHA, as <c>GET git/matching-refs</c> lists them.</summary>
    public Dictionary<string, string> Refs { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues pull requests the way GitHub's merge queue does: per pull request, a merge commit on top of the previous
    /// entry (the first on <paramref name="baseSha"/>) and a read-only branch <c>gh-readonly-queue/BASE/pr-N-HEAD</c>
    /// pointing at it. Returns the last entry's branch and commit: a group of all of them has these as its head.
    /// </summary>
    public (string HeadRef, string HeadSha) EnqueueMergeGroup(string baseBranch, string baseSha, params long[] numbers)
    {
        lock (_gate)
        {
            var (headRef, parent) = ("", baseSha);
            foreach (var number in numbers)
            {
                var pr = PullRequests[number];
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes($"merge {parent} {pr.HeadSha}")));
                BranchCommits[sha] = (parent, $"Merge pull request #{number} from {pr.HeadRef}\n\n{pr.Title}");
                headRef = $"refs/heads/gh-readonly-queue/{baseBranch}/pr-{number}-{pr.HeadSha}";
                Refs[headRef] = sha;
                parent = sha;
            }

            return (headRef, parent);
        }
    }

    /// <summary>Records a push of <paramref name="after"/> to a branch by <paramref name="actor"/> (newest first).</summary>
    public void Push(string branch, string before, string after, string actor, DateTimeOffset at)
        => Activities.Insert(0, new JsonObject
        {
            ["id"] = ++_nextId,
            ["node_id"] = "RA_" + _nextId,
            ["before"] = before,
            ["after"] = after,
            ["ref"] = "refs/heads/" + branch,
            ["timestamp"] = at.ToString("O"),
            ["activity_type"] = "push",
            ["actor"] = new JsonObject { ["login"] = actor, ["id"] = FakeUsers.IdOf(actor), ["type"] = FakeUsers.TypeOf(actor) },
        });

    /// <summary>The App's bot account, author of the comments the bot posts.</summary>
    public const string BotLogin = "reviewbot[bot]";

    /// <summary>The slug of the App the fake issues installation tokens for: the creator of the check runs the bot writes.</summary>
    public const string BotAppSlug = "reviewbot";

    /// <summary>A GitHub App as the API embeds it in a check run (<c>app</c>): GitHub names the App that created every check run.</summary>
    public static JsonObject App(string slug) => new()
    {
        ["id"] = 100 + slug.Length,
        ["slug"] = slug,
        ["node_id"] = "MDM6QXBw" + slug,
        ["name"] = slug,
        ["owner"] = new JsonObject { ["login"] = "acme", ["id"] = 1, ["type"] = "Organization" },
    };

    /// <summary>A completed check run of <paramref name="sha"/> created by the App <paramref name="app"/> (what another CI posts).</summary>
    public void AddCheckRun(string sha, string name, string conclusion, string app)
    {
        lock (_gate)
        {
            CheckRuns.Add(new JsonObject
            {
                ["id"] = ++_nextId, ["name"] = name, ["head_sha"] = sha, ["status"] = "completed", ["conclusion"] = conclusion,
                ["app"] = App(app), ["output"] = new JsonObject { ["annotations_count"] = 0 },
            });
        }
    }

    /// <summary>A commit status on <paramref name="sha"/> posted by <paramref name="creator"/>: statuses name a creator and a context, never an App.</summary>
    public void AddStatus(string sha, string context, string state, string creator)
    {
        lock (_gate)
        {
            Statuses.Add(new JsonObject
            {
                ["id"] = ++_nextId, ["sha"] = sha, ["context"] = context, ["state"] = state,
                ["creator"] = new JsonObject { ["login"] = creator, ["id"] = FakeUsers.IdOf(creator), ["type"] = FakeUsers.TypeOf(creator) },
            });
        }
    }

    /// <summary>A comment by <paramref name="login"/> on pull request <paramref name="number"/>, written at <paramref name="at"/>; returns its id.</summary>
    public long AddComment(long number, string login, string body, DateTimeOffset at)
    {
        lock (_gate)
        {
            var id = ++_nextId;
            Comments.Add(new JsonObject
            {
                ["id"] = id, ["issue"] = number, ["body"] = body, ["created_at"] = at.ToString("O"),
                ["user"] = new JsonObject { ["login"] = login, ["id"] = FakeUsers.IdOf(login), ["type"] = FakeUsers.TypeOf(login) },
            });
            return id;
        }
    }

    /// <summary>Failures to serve before normal answers, by "METHOD /path-prefix".</summary>
    public ConcurrentQueue<(string Match, int Status, Dictionary<string, string> Headers)> Failures { get; } = new();

    /// <summary>Called with every request before it is answered (a test may, say, kill the bot's process there).</summary>
    public Action<RecordedRequest>? OnRequest { get; set; }

    public int TokensIssued { get; private set; }

    public string InstallationToken { get; set; } = "ghs_fake_installation_token_0123456789";

    public string Repository { get; set; } = "Codertocat/Hello-World";

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body, context.Request.Headers.Authorization.ToString());
            fake.Requests.Enqueue(recorded);
            fake.OnRequest?.Invoke(recorded);
            if (fake.TakeFailure(context.Request.Method + " " + context.Request.Path) is { } failure)
            {
                context.Response.StatusCode = failure.Status;
                foreach (var (key, value) in failure.Headers)
                {
                    context.Response.Headers[key] = value;
                }

                await context.Response.WriteAsJsonAsync(new { message = "injected failure" });
                return;
            }

            await next();
        });
        fake.Map();
        await app.StartAsync();
        fake.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    private (int Status, Dictionary<string, string> Headers)? TakeFailure(string request)
    {
        lock (_gate)
        {
            if (Failures.TryPeek(out var next) && request.StartsWith(next.Match, StringComparison.Ordinal))
            {
                Failures.TryDequeue(out _);
                return (next.Status, next.Headers);
            }
        }

        return null;
    }

    /// <summary>Changes the fake's state atomically with respect to the requests it serves (a push, a review).</summary>
    public void Update(Action<FakeGitHub> change)
    {
        lock (_gate)
        {
            change(this);
        }
    }

    public IEnumerable<RecordedRequest> Writes => Requests.Where(r => r.Method is not ("GET" or "HEAD") && !r.Path.StartsWith("/graphql", StringComparison.Ordinal));

    private void Map()
    {
        var app = _app;
        app.MapPost("/app/installations/{id:long}/access_tokens", (long id) =>
        {
            TokensIssued++;
            return Results.Json(new { token = InstallationToken, expires_at = DateTimeOffset.UtcNow.AddHours(1) }, statusCode: 201);
        });
        app.MapGet("/repos/{owner}/{repo}/installation", () => Results.Json(new { id = 4242, app_id = 1 }));
        app.MapGet("/repos/{owner}/{repo}/pulls/{n:long}", (long n) => Locked(() => PullRequests.TryGetValue(n, out var pr) ? Results.Json(pr.Json()) : Results.NotFound()));
        app.MapGet("/repos/{owner}/{repo}/pulls", () => Locked(() => Results.Json(PullRequests.Values.Where(p => p.State == "open").Select(p => p.Json()))));
        app.MapGet("/repos/{owner}/{repo}/pulls/{n:long}/files", (long n, int? page, int? per_page) => Locked(() =>
        {
            var size = per_page ?? 30;
            var files = PullRequests[n].Files;
            var slice = files.Skip(((page ?? 1) - 1) * size).Take(size).ToList();
            return Paged(slice, page ?? 1, (files.Count + size - 1) / size, size);
        }));
        app.MapGet("/repos/{owner}/{repo}/pulls/{n:long}/commits", (long n) => Locked(() => Results.Json(PullRequests[n].Commits)));
        app.MapGet("/repos/{owner}/{repo}/pulls/{n:long}/reviews", (long n) => Locked(() => Results.Json(PullRequests[n].Reviews)));
        app.MapGet("/repos/{owner}/{repo}/activity", (string? @ref) => Locked(() =>
            Results.Json(Activities.Where(a => @ref is null || (string?)a["ref"] == (@ref.StartsWith("refs/", StringComparison.Ordinal) ? @ref : "refs/heads/" + @ref)))));
        app.MapGet("/repos/{owner}/{repo}/compare/{basehead}", (string basehead) => Locked(() =>
        {
            // GitHub answers 404 for a commit it does not know (or no longer has).
            var parts = basehead.Split("...", 2);
            if (parts.Length == 2 && BranchCommits.ContainsKey(parts[1]))
            {
                return CompareBranchCommits(parts[0], parts[1]);
            }

            if (parts.Length != 2 || !MergeBaseDiffs.TryGetValue(parts[1], out var files))
            {
                return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/commits/commits#compare-two-commits" }, statusCode: 404);
            }

            return Results.Json(new JsonObject
            {
                ["status"] = "ahead",
                ["ahead_by"] = 1,
                ["behind_by"] = 0,
                ["total_commits"] = 1,
                ["commits"] = new JsonArray(),
                ["files"] = new JsonArray([.. files.Select(f => (JsonNode)f.DeepClone())]),
            });
        }));
        app.MapGet("/repos/{owner}/{repo}/git/matching-refs/{**prefix}", (string prefix) => Locked(() =>
            Results.Json(Refs.Where(r => r.Key.StartsWith("refs/" + prefix, StringComparison.Ordinal)).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new JsonObject
            {
                ["ref"] = r.Key,
                ["node_id"] = "REF_" + r.Key.GetHashCode(StringComparison.Ordinal),
                ["url"] = new Uri(Address, $"repos/{Repository}/git/{r.Key}").ToString(),
                ["object"] = new JsonObject { ["sha"] = r.Value, ["type"] = "commit", ["url"] = new Uri(Address, $"repos/{Repository}/git/commits/{r.Value}").ToString() },
            }))));
        app.MapGet("/repos/{owner}/{repo}/commits/{sha}/check-runs", (string sha, string? check_name) => Locked(() =>
        {
            var runs = CheckRuns.Where(r => (string?)r["head_sha"] == sha && (check_name is null || (string?)r["name"] == check_name)).Select(r => r.DeepClone()).ToList();
            if (runs.FirstOrDefault(r => r!["app"] is not JsonObject) is { } orphan)
            {
                // Every check run on GitHub is created by an App and names it; a run without one is a broken test setup.
                return Results.Json(new { message = $"fake GitHub: check run {orphan["id"]} names no app (use AddCheckRun)" }, statusCode: 500);
            }

            return Results.Json(new JsonObject { ["total_count"] = runs.Count, ["check_runs"] = new JsonArray([.. runs]) });
        }));
        app.MapGet("/repos/{owner}/{repo}/commits/{sha}/status", (string sha) => Locked(() =>
            Results.Json(new JsonObject { ["state"] = "success", ["sha"] = sha, ["statuses"] = new JsonArray([.. Statuses.Where(s => (string?)s["sha"] == sha).Select(s => s.DeepClone())]) })));
        app.MapGet("/repos/{owner}/{repo}/commits/{sha}/pulls", (string sha) => Locked(() => Results.Json(PullRequests.Values.Where(p => p.HeadSha == sha).Select(p => p.Json()))));
        app.MapPost("/repos/{owner}/{repo}/check-runs", async (HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                // GitHub refuses a check run for a commit the repository does not have.
                var sha = (string?)body["head_sha"];
                if (!PullRequests.Values.Any(p => p.HeadSha == sha || p.Commits.Any(c => (string?)c["sha"] == sha)) && !BranchCommits.ContainsKey(sha ?? ""))
                {
                    return Results.Json(new { message = "No commit found for SHA: " + sha }, statusCode: 422);
                }

                if (CheckRunRefusal(body, hadConclusion: false) is { } refused)
                {
                    return refused;
                }

                var run = new JsonObject
                {
                    ["id"] = ++_nextId,
                    ["name"] = (string?)body["name"],
                    ["head_sha"] = (string?)body["head_sha"],
                    ["status"] = body["conclusion"] is not null ? "completed" : (string?)body["status"] ?? "queued",
                    ["conclusion"] = (string?)body["conclusion"],
                    ["external_id"] = (string?)body["external_id"],
                    ["output"] = new JsonObject { ["annotations_count"] = 0 },
                    ["app"] = App(BotAppSlug),
                    ["annotations"] = new JsonArray(),
                    ["history"] = new JsonArray(),
                };
                Apply(run, body);
                CheckRuns.Add(run);
                return Results.Json(Public(run), statusCode: 201);
            });
        });
        app.MapMethods("/repos/{owner}/{repo}/check-runs/{id:long}", ["PATCH"], async (long id, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                var run = CheckRuns.FirstOrDefault(r => (long)r["id"]! == id);
                if (run is null)
                {
                    return NotFoundJson();
                }

                if (CheckRunRefusal(body, hadConclusion: run["conclusion"] is not null) is { } refused)
                {
                    return refused;
                }

                Apply(run, body);
                return Results.Json(Public(run));
            });
        });
        app.MapPost("/repos/{owner}/{repo}/pulls/{n:long}/requested_reviewers", async (long n, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                if (!PullRequests.TryGetValue(n, out var pr))
                {
                    return NotFoundJson();
                }

                foreach (var user in body["reviewers"]?.AsArray() ?? [])
                {
                    if (string.Equals((string?)user, pr.Author, StringComparison.OrdinalIgnoreCase))
                    {
                        return Results.Json(new { message = "Review cannot be requested from pull request author." }, statusCode: 422);
                    }

                    pr.RequestedReviewers.Add((string)user!);
                }

                pr.RequestedTeams.AddRange((body["team_reviewers"]?.AsArray() ?? []).Select(t => (string)t!));
                return Results.Json(pr.Json(), statusCode: 201);
            });
        });
        app.MapPost("/repos/{owner}/{repo}/issues/{n:long}/labels", async (long n, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                if (!PullRequests.TryGetValue(n, out var pr))
                {
                    return NotFoundJson();
                }

                // Adding a label the issue already has is no error on GitHub: the list comes back unchanged.
                pr.Labels.AddRange((body["labels"]?.AsArray() ?? []).Select(l => (string)l!).Where(l => !pr.Labels.Contains(l)));
                return Results.Json(pr.Labels.Select(l => new { name = l }));
            });
        });
        app.MapGet("/repos/{owner}/{repo}/issues/{n:long}/comments", (long n) => Locked(() => Results.Json(Comments.Where(c => (long)c["issue"]! == n).Select(c => c.DeepClone()))));
        app.MapPost("/repos/{owner}/{repo}/issues/{n:long}/comments", async (long n, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                if (!PullRequests.ContainsKey(n))
                {
                    return NotFoundJson();
                }

                // Comments the App writes are by its bot account, as on GitHub.
                var comment = new JsonObject
                {
                    ["id"] = ++_nextId, ["issue"] = n, ["body"] = (string?)body["body"], ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
                    ["user"] = new JsonObject { ["login"] = BotLogin, ["id"] = FakeUsers.IdOf(BotLogin), ["type"] = "Bot" },
                };
                Comments.Add(comment);
                return Results.Json(comment.DeepClone(), statusCode: 201);
            });
        });
        app.MapMethods("/repos/{owner}/{repo}/issues/comments/{id:long}", ["PATCH"], async (long id, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                var comment = Comments.FirstOrDefault(c => (long)c["id"]! == id);
                if (comment is null)
                {
                    return NotFoundJson();
                }

                comment["body"] = (string?)body["body"];
                return Results.Json(comment.DeepClone());
            });
        });
        app.MapPost("/repos/{owner}/{repo}/statuses/{sha}", async (string sha, HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                // GitHub's commit status states are four; "failed", "canceled" or "running" (GitLab's words) are refused.
                if ((string?)body["state"] is not ("error" or "failure" or "pending" or "success"))
                {
                    return ValidationFailed("Status", "state", "state is not included in the list");
                }

                body["sha"] = sha;
                body["id"] = ++_nextId;
                body["creator"] = new JsonObject { ["login"] = BotLogin, ["id"] = FakeUsers.IdOf(BotLogin), ["type"] = "Bot" };
                Statuses.Add(body);
                return Results.Json(body.DeepClone(), statusCode: 201);
            });
        });
        // An Actions GITHUB_TOKEN may not read team membership: GitHub answers 403 "Resource not accessible by integration".
        app.MapGet("/orgs/{org}/teams/{slug}/members", (string org, string slug, HttpRequest request) => Locked(() =>
            TokensWithoutTeamAccess.Any(t => request.Headers.Authorization.ToString().Contains(t, StringComparison.Ordinal))
                ? Results.Json(new { message = "Resource not accessible by integration", documentation_url = "https://docs.github.com/rest/teams/members#list-team-members" }, statusCode: 403)
                : Teams.TryGetValue($"{org}/{slug}", out var members)
                    ? Results.Json(members.Select(m => new { login = m, id = m.GetHashCode(StringComparison.Ordinal) & 0xffff, type = "User" }))
                    : Results.NotFound()));
        // The organisation's own webhook receiver (override announcements): it records what it is sent.
        app.MapPost("/org-hooks/{name}", async (HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() =>
            {
                Announcements.Add(body);
                return Results.NoContent();
            });
        });
        app.MapPost("/graphql", async (HttpRequest request) =>
        {
            var body = await Body(request);
            return Locked(() => Results.Json(GraphQL(body)));
        });
    }

    /// <summary>Compare of branch commits: the first-parent chain from head back to base, oldest first; 404 when base is not on it.</summary>
    private IResult CompareBranchCommits(string baseSha, string headSha)
    {
        var chain = new List<string>();
        for (var sha = headSha; !string.Equals(sha, baseSha, StringComparison.OrdinalIgnoreCase); sha = BranchCommits[sha].Parent)
        {
            if (!BranchCommits.ContainsKey(sha))
            {
                return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/commits/commits#compare-two-commits" }, statusCode: 404);
            }

            chain.Insert(0, sha);
        }

        var commits = chain.Select(sha => (JsonNode)new JsonObject
        {
            ["sha"] = sha,
            ["commit"] = new JsonObject { ["message"] = BranchCommits[sha].Message },
            ["parents"] = new JsonArray(new JsonObject { ["sha"] = BranchCommits[sha].Parent }),
        });
        return Results.Json(new JsonObject
        {
            ["status"] = "ahead",
            ["ahead_by"] = chain.Count,
            ["behind_by"] = 0,
            ["total_commits"] = chain.Count,
            ["commits"] = new JsonArray([.. commits]),
            ["files"] = new JsonArray(),
        });
    }

    private IResult Locked(Func<IResult> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    private IResult Paged<T>(List<T> items, int page, int last, int size)
    {
        return new PagedResult(Results.Json(items), page < last ? new Uri(Address, $"{Repository.Split('/')[0]}/page?per_page={size}&page={page + 1}") : null, page, last, size, this);
    }

    /// <summary>Answers the query shapes the adapter sends: a pull request's edit history, and blobs by aliased expressions.</summary>
    private JsonObject GraphQL(JsonObject body)
    {
        var query = (string)body["query"]!;
        var variables = body["variables"]!.AsObject();
        var owner = (string)variables["owner"]!;
        JsonNode? Blob(string repository, string? expression)
        {
            if (expression is null)
            {
                return null;
            }

            var key = repository == Repository ? expression : $"{repository}@{expression}";
            return Blobs.TryGetValue(key, out var text) ? new JsonObject { ["text"] = text, ["oid"] = GitBlobId(text), ["isBinary"] = false, ["isTruncated"] = false } : null;
        }

        var repoName = $"{owner}/{(string)variables["name"]!}";
        var data = new JsonObject();
        var errors = new JsonArray();
        if (query.Contains("userContentEdits", StringComparison.Ordinal))
        {
            var number = (long)variables["number"]!;
            data["repository"] = new JsonObject { ["pullRequest"] = PullRequests.TryGetValue(number, out var pr) ? PullRequestHistory(pr) : null };
        }
        else
        {
            // Blobs by aliased expressions: f{i} for $e{i} (contents), p{i} for $p{i} (a file's candidate paths).
            // Another repository of the owner exists when it holds a blob; like GitHub, an unknown one is NOT_FOUND.
            if (repoName != Repository && !Blobs.Keys.Any(k => k.StartsWith(repoName + "@", StringComparison.Ordinal)))
            {
                data["repository"] = null;
                errors.Add(new JsonObject { ["type"] = "NOT_FOUND", ["path"] = new JsonArray("repository"), ["message"] = $"Could not resolve to a Repository with the name '{repoName}'." });
            }
            else
            {
                var repo = new JsonObject();
                foreach (var (key, value) in variables)
                {
                    if (key.Length > 1 && key[0] is 'e' or 'p' && key[1..].All(char.IsAsciiDigit))
                    {
                        repo[(key[0] == 'e' ? "f" : "p") + key[1..]] = Blob(repoName, (string?)value);
                    }
                }

                data["repository"] = repo;
            }
        }

        var answer = new JsonObject { ["data"] = data };
        if (errors.Count > 0)
        {
            answer["errors"] = errors;
        }

        return answer;
    }

    /// <summary>
    /// The body's edit history and each commit's authors as GitHub's GraphQL API gives them: the git author first, then
    /// every <c>Co-authored-by</c> trailer, each linked to the account whose verified email it is (or a noreply address).
    /// </summary>
    private JsonObject PullRequestHistory(FakePullRequest pr)
    {
        JsonNode? UserOf(string email)
        {
            if (VerifiedEmails.TryGetValue(email, out var account))
            {
                return new JsonObject { ["login"] = account.Login, ["databaseId"] = account.Id };
            }

            var noreply = System.Text.RegularExpressions.Regex.Match(email, @"^(?:(\d+)\+)?([^@]+)@users\.noreply\.github\.com$");
            return noreply.Success ? new JsonObject { ["login"] = noreply.Groups[2].Value, ["databaseId"] = noreply.Groups[1].Success ? long.Parse(noreply.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : FakeUsers.IdOf(noreply.Groups[2].Value) } : null;
        }

        JsonObject Author(string name, string email) => new() { ["name"] = name, ["email"] = email, ["user"] = UserOf(email) };

        var commits = new JsonArray();
        foreach (var commit in pr.Commits)
        {
            var git = commit["commit"]!["author"]!;
            var authors = new JsonArray(Author((string)git["name"]!, (string)git["email"]!));
            foreach (System.Text.RegularExpressions.Match trailer in System.Text.RegularExpressions.Regex.Matches((string)commit["commit"]!["message"]!, @"^Co-authored-by:\s*(.+?)\s*<([^>]+)>\s*$", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            {
                authors.Add(Author(trailer.Groups[1].Value, trailer.Groups[2].Value));
            }

            commits.Add(new JsonObject { ["commit"] = new JsonObject { ["oid"] = (string?)commit["sha"], ["authors"] = new JsonObject { ["nodes"] = authors } } });
        }

        return new JsonObject
        {
            ["timelineItems"] = new JsonObject { ["nodes"] = new JsonArray([.. pr.Assignments.Select(a => a.DeepClone())]) },
            ["userContentEdits"] = new JsonObject { ["nodes"] = new JsonArray([.. pr.BodyHistory.Select(b => (JsonNode)new JsonObject { ["diff"] = b, ["deletedAt"] = null })]) },
            ["commits"] = new JsonObject { ["nodes"] = commits },
        };
    }

    private static void Apply(JsonObject run, JsonObject body)
    {
        foreach (var key in new[] { "status", "conclusion", "details_url", "external_id" })
        {
            if (body[key] is { } value)
            {
                run[key] = value.DeepClone();
            }
        }

        if (body["conclusion"] is not null)
        {
            run["status"] = "completed";
        }

        if (body["output"] is JsonObject output)
        {
            var annotations = run["annotations"]!.AsArray();
            foreach (var annotation in output["annotations"]?.AsArray() ?? [])
            {
                annotations.Add(annotation!.DeepClone());
            }

            run["output"] = new JsonObject
            {
                ["title"] = (string?)output["title"],
                ["summary"] = (string?)output["summary"],
                ["annotations_count"] = annotations.Count,
            };
        }

        if (body["actions"] is JsonArray actions)
        {
            run["actions"] = actions.DeepClone();
        }

        run["history"]!.AsArray().Add((string?)run["status"] + (run["conclusion"] is { } c ? ":" + (string?)c : ""));
    }

    private static readonly string[] CheckRunStatuses = ["queued", "in_progress", "completed"];
    private static readonly string[] CheckRunConclusions = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out"];

    /// <summary>
    /// What GitHub refuses in a check run write (422): a status other than queued / in_progress / completed (only GitHub
    /// Actions sets waiting, requested or pending), a conclusion outside the documented set (only GitHub sets stale), a
    /// completed status or a completed_at without a conclusion, an output without title or summary, more than 50
    /// annotations in one request.
    /// </summary>
    private static IResult? CheckRunRefusal(JsonObject body, bool hadConclusion)
    {
        var status = (string?)body["status"];
        var conclusion = (string?)body["conclusion"];
        if (status is not null && !CheckRunStatuses.Contains(status))
        {
            return ValidationFailed("CheckRun", "status", $"status {status} is not included in the list");
        }

        if (conclusion is not null && !CheckRunConclusions.Contains(conclusion))
        {
            return ValidationFailed("CheckRun", "conclusion", $"conclusion {conclusion} is not included in the list");
        }

        if (conclusion is null && !hadConclusion && (status == "completed" || body["completed_at"] is not null))
        {
            return ValidationFailed("CheckRun", "conclusion", "conclusion is required when status is completed");
        }

        if (body["output"] is JsonObject output)
        {
            if (output["title"] is null || output["summary"] is null)
            {
                return ValidationFailed("CheckRun", "output", "output needs a title and a summary");
            }

            if ((output["annotations"]?.AsArray().Count ?? 0) > 50)
            {
                return ValidationFailed("CheckRun", "annotations", "at most 50 annotations per request");
            }
        }

        return null;
    }

    private static IResult ValidationFailed(string resource, string field, string message)
        => Results.Json(new { message = "Validation Failed", errors = new[] { new { resource, code = "custom", field, message } } }, statusCode: 422);

    private static IResult NotFoundJson()
        => Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: 404);

    private static JsonObject Public(JsonObject run)
    {
        var copy = run.DeepClone().AsObject();
        copy.Remove("annotations");
        copy.Remove("history");
        return copy;
    }

    private static async Task<JsonObject> Body(HttpRequest request)
        => JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())?.AsObject() ?? [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A JSON page with GitHub's Link header.</summary>
    private sealed class PagedResult(IResult inner, Uri? next, int page, int last, int size, FakeGitHub fake) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (next is not null)
            {
                var path = httpContext.Request.Path.Value!.TrimStart('/');
                var nextUri = new Uri(fake.Address, $"{path}?per_page={size}&page={page + 1}");
                var lastUri = new Uri(fake.Address, $"{path}?per_page={size}&page={last}");
                httpContext.Response.Headers["Link"] = $"<{nextUri}>; rel=\"next\", <{lastUri}>; rel=\"last\"";
            }

            return inner.ExecuteAsync(httpContext);
        }
    }

    /// <summary>The object id git (and so GitHub) gives a blob of this text: SHA-1 over "blob LENGTH\0" and the bytes.</summary>
    public static string GitBlobId(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var header = System.Text.Encoding.ASCII.GetBytes($"blob {bytes.Length}\0");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData([.. header, .. bytes]));
    }
}

public sealed record RecordedRequest(string Method, string Path, string Body, string Authorization);

/// <summary>One pull request of the fake API, with the parts the adapter reads and writes.</summary>
public sealed class FakePullRequest
{
    public required long Number { get; init; }
    public required string Author { get; init; }
    public string AuthorType { get; init; } = "User";
    public required string HeadSha { get; set; }
    public required string BaseSha { get; init; }
    public string HeadRef { get; init; } = "feature";
    public string BaseRef { get; init; } = "main";
    public string Title { get; set; } = "A change";
    public string Body { get; set; } = "";
    public string State { get; set; } = "open";
    public List<string> Labels { get; } = [];
    public List<string> RequestedReviewers { get; } = [];
    public List<string> RequestedTeams { get; } = [];
    public List<JsonObject> Files { get; } = [];
    public List<JsonObject> Commits { get; } = [];
    public List<JsonObject> Reviews { get; } = [];

    /// <summary>Assignment events of the pull request, oldest first, as GraphQL <c>AssignedEvent</c> nodes.</summary>
    public List<JsonObject> Assignments { get; } = [];

    /// <summary>Every version of the body GitHub keeps in its edit history (set through <see cref="EditBody"/>).</summary>
    public List<string> BodyHistory { get; } = [];

    /// <summary>Edits the body the way GitHub does: the new text becomes the body and a revision in the edit history.</summary>
    public FakePullRequest EditBody(string body)
    {
        if (BodyHistory.Count == 0)
        {
            BodyHistory.Add(Body);
        }

        Body = body;
        BodyHistory.Add(body);
        return this;
    }

    /// <summary>An assignment event: <paramref name="actor"/> assigned <paramref name="assignee"/>.</summary>
    public FakePullRequest Assign(string actor, string assignee, long id)
    {
        static JsonObject Account(string login) => new() { ["__typename"] = FakeUsers.TypeOf(login), ["login"] = login, ["databaseId"] = FakeUsers.IdOf(login) };
        Assignments.Add(new JsonObject { ["id"] = "AE_" + id, ["actor"] = Account(actor), ["assignee"] = Account(assignee) });
        return this;
    }

    public FakePullRequest AddFile(string path, string status = "modified", int additions = 1, int deletions = 0)
    {
        Files.Add(new JsonObject { ["filename"] = path, ["status"] = status, ["additions"] = additions, ["deletions"] = deletions, ["changes"] = additions + deletions, ["patch"] = "@@ -1 +1 @@\n-a\n+b", ["sha"] = "f" + Files.Count });
        return this;
    }

    public FakePullRequest AddCommit(string sha, string message, string authorLogin, string authorName)
    {
        var person = new JsonObject { ["name"] = authorName, ["email"] = authorName.Replace(' ', '.') + "@example.com", ["date"] = "2026-11-26T10:00:00Z" };
        Commits.Add(new JsonObject
        {
            ["sha"] = sha,
            ["commit"] = new JsonObject { ["message"] = message, ["author"] = person, ["committer"] = person.DeepClone(), ["verification"] = new JsonObject { ["verified"] = false, ["reason"] = "unsigned" } },
            ["author"] = new JsonObject { ["login"] = authorLogin, ["id"] = 1, ["type"] = authorLogin.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
            ["committer"] = new JsonObject { ["login"] = authorLogin, ["id"] = 1, ["type"] = "User" },
            ["parents"] = new JsonArray(new JsonObject { ["sha"] = BaseSha }),
        });
        return this;
    }

    public FakePullRequest AddReview(long id, string login, string state, string? commitId, string submittedAt = "2026-11-26T11:00:00Z")
    {
        Reviews.Add(new JsonObject { ["id"] = id, ["user"] = new JsonObject { ["login"] = login, ["id"] = FakeUsers.IdOf(login), ["type"] = FakeUsers.TypeOf(login) }, ["state"] = state, ["commit_id"] = commitId, ["submitted_at"] = submittedAt });
        return this;
    }

    public JsonObject Json() => new()
    {
        ["number"] = Number,
        ["state"] = State,
        ["title"] = Title,
        ["body"] = Body,
        ["draft"] = false,
        ["user"] = new JsonObject { ["login"] = Author, ["id"] = AuthorType == "Bot" ? FakeUsers.IdOf(Author) : 99, ["type"] = AuthorType },
        ["head"] = new JsonObject { ["ref"] = HeadRef, ["sha"] = HeadSha },
        ["base"] = new JsonObject { ["ref"] = BaseRef, ["sha"] = BaseSha },
        ["labels"] = new JsonArray([.. Labels.Select(l => (JsonNode)new JsonObject { ["name"] = l })]),
        ["requested_reviewers"] = new JsonArray([.. RequestedReviewers.Select(r => (JsonNode)new JsonObject { ["login"] = r, ["type"] = "User" })]),
        ["requested_teams"] = new JsonArray([.. RequestedTeams.Select(t => (JsonNode)new JsonObject { ["slug"] = t, ["name"] = t })]),
        ["assignees"] = new JsonArray(),
        ["changed_files"] = Files.Count,
        ["commits"] = Commits.Count,
    };
}

/// <summary>Stable ids and account types of the fake's users: <c>[bot]</c> logins and Copilot are bots, as on GitHub.</summary>
public static class FakeUsers
{
    /// <summary>The real account ids of the agents the tests use (the catalog matches accounts by id), else a stable made-up id.</summary>
    public static long IdOf(string login) => login switch
    {
        "Copilot" or "copilot-swe-agent[bot]" => 198982749,
        "devin-ai-integration[bot]" => 158243242,
        "github-actions[bot]" => 41898282,
        _ => 10_000 + login.ToUpperInvariant().Aggregate(17L, (h, c) => (h * 31 + c) % 1_000_000),
    };

    public static string TypeOf(string login) => login.EndsWith("[bot]", StringComparison.Ordinal) || login == "Copilot" ? "Bot" : "User";
}
