using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// The MCP server through the SDK's own client: over stdio against the built CLI (<c>dotnet reviewbot.dll mcp</c>),
/// and over Streamable HTTP against the real host on loopback (<c>serve</c>'s host with <c>/mcp</c> mapped).
/// The fixture repository has no rules file, so the built-in policy applies.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private const string CopilotAgent = "copilot-swe-agent[bot]";
    private const string BuiltInApproval = "Needs 1 approval from group reviewers (any reviewer)";
    private const string Token = "mcp-test-token-0123456789";

    private readonly GitRepoBuilder _repo = GitRepoBuilder.Init();
    private readonly CapturingLoggerProvider _log = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"reviewbot-mcp-{Guid.NewGuid():N}.db");

    public McpServerTests()
    {
        _repo.Write("src/App.cs", "class App\n{\n    void Run() { }\n}\n");
        _repo.Commit("Initial");
        _repo.CreateBranch("feature", checkout: true);
        _repo.Write("src/App.cs", "class App\n{\n    void Run() { }\n\n    void Stop() { }\n}\n");
        _repo.Commit("Add Stop");
    }

    public void Dispose()
    {
        _repo.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [Fact]
    public async Task Over_stdio_plan_change_for_a_copilot_agent_names_the_approval_the_built_in_policy_requires()
    {
        await using var client = await StdioClientAsync();

        var tools = await client.ListToolsAsync();
        Assert.Equal(["agent_capabilities", "explain_review", "plan_change", "validate_rules"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));

        var result = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["repository"] = _repo.Path, ["base"] = "main", ["head"] = "feature", ["agent"] = CopilotAgent,
        });

        var plan = Answer(result);
        Assert.StartsWith("advisory:", plan.GetProperty("advisory").GetString());
        Assert.Equal(CopilotAgent, plan.GetProperty("declaredAuthor").GetString());
        var report = plan.GetProperty("plan");
        Assert.Equal("ai-authored", report.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.Equal("pending", report.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal(BuiltInApproval, report.GetProperty("decision").GetProperty("title").GetString());
        var approval = Assert.Single(report.GetProperty("requirements").GetProperty("approvals").EnumerateArray());
        Assert.Equal("AI-authored changes need a human approval", approval.GetProperty("rule").GetString());
        Assert.Equal("group reviewers (any reviewer)", approval.GetProperty("from").GetString());
        Assert.Equal(1, approval.GetProperty("missing").GetInt32());
        Assert.Equal("built-in", report.GetProperty("rulesSource").GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Over_stdio_agent_capabilities_names_the_profile_that_governs_a_declared_initiator_and_the_strictest_without_one()
    {
        _repo.Write(".github/reviewbot.yml", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "agent-profiles.yml")));
        _repo.Commit("Agent profiles");
        await using var client = await StdioClientAsync();

        var senior = Answer(await client.CallToolAsync("agent_capabilities", new Dictionary<string, object?>
        {
            ["repository"] = _repo.Path, ["base"] = "feature", ["agent"] = "codex", ["initiator"] = "sam", ["initiatorGroups"] = new[] { "seniors" },
        }));
        Assert.StartsWith("advisory:", senior.GetProperty("advisory").GetString());
        Assert.Equal("seniors' agents", senior.GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal("repository", senior.GetProperty("profile").GetProperty("layer").GetString());
        Assert.Equal("agent codex; initiator sam is a member of group seniors", senior.GetProperty("reason").GetString());
        var limits = senior.GetProperty("profile").GetProperty("limits").EnumerateArray()
            .Select(l => $"{l.GetProperty("key").GetString()}={l.GetProperty("value").GetString()}:{l.GetProperty("exceed").GetString()}:{(l.TryGetProperty("group", out var g) ? g.GetString() : null)}");
        Assert.Equal(
            ["max_changed_lines=3000:approval:seniors", "weaken_tests=not allowed:approval:seniors", "ci=not allowed:approval:seniors", "rules=not allowed:block:", "agent_config=not allowed:approval:agent-owners"],
            limits);

        var undeclared = Answer(await client.CallToolAsync("agent_capabilities", new Dictionary<string, object?>
        {
            ["repository"] = _repo.Path, ["base"] = "feature", ["agent"] = "codex",
        }));
        Assert.Equal("juniors' agents", undeclared.GetProperty("profile").GetProperty("name").GetString());
        Assert.Contains("the strictest of the 2 profiles", undeclared.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Every_tool_and_every_argument_is_documented_in_docs_mcp()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "mcp.md"));
        await using var client = await StdioClientAsync();

        foreach (var tool in await client.ListToolsAsync())
        {
            var section = doc.IndexOf($"### `{tool.Name}`", StringComparison.Ordinal);
            Assert.True(section >= 0, $"docs/mcp.md has no section for {tool.Name}");
            var next = doc.IndexOf("\n### ", section + 1, StringComparison.Ordinal);
            var text = next < 0 ? doc[section..] : doc[section..next];
            foreach (var argument in tool.JsonSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.Contains($"`{argument.Name}`", text);
            }
        }

        foreach (var setting in typeof(Mcp.McpOptions).GetProperties())
        {
            Assert.Contains($"{Mcp.McpOptions.Section}:{setting.Name}", doc);
        }
    }

    [Fact]
    public async Task Over_stdio_plan_change_takes_a_unified_diff_with_the_base_contents()
    {
        await using var client = await StdioClientAsync();
        const string diff = """
            diff --git a/src/App.cs b/src/App.cs
            --- a/src/App.cs
            +++ b/src/App.cs
            @@ -1,4 +1,6 @@
             class App
             {
                 void Run() { }
            +
            +    void Stop() { }
             }
            """;

        var result = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["diff"] = diff,
            ["baseFiles"] = new Dictionary<string, string> { ["src/App.cs"] = "class App\n{\n    void Run() { }\n}\n" },
            ["agent"] = CopilotAgent,
        });

        var report = Answer(result).GetProperty("plan");
        Assert.Equal(BuiltInApproval, report.GetProperty("decision").GetProperty("title").GetString());
        Assert.Equal(2, report.GetProperty("risk").GetProperty("metrics").GetProperty("linesAdded").GetInt32());
        Assert.Equal(1, report.GetProperty("risk").GetProperty("metrics").GetProperty("csharpFilesAnalysed").GetInt32());
    }

    [Fact]
    public async Task Over_stdio_bad_calls_are_tool_errors_and_the_server_keeps_answering()
    {
        await using var client = await StdioClientAsync();

        var neither = await client.CallToolAsync("plan_change", new Dictionary<string, object?> { ["agent"] = CopilotAgent });
        Assert.True(neither.IsError);
        Assert.Contains("give a repository and a base ref", Text(neither));

        var unknownRef = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["repository"] = _repo.Path, ["base"] = "no-such-branch", ["agent"] = CopilotAgent,
        });
        Assert.True(unknownRef.IsError);
        Assert.Contains("unknown revision 'no-such-branch'", Text(unknownRef));

        var notApplying = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["diff"] = "--- a/x.cs\n+++ b/x.cs\n@@ -1,1 +1,1 @@\n-old\n+new\n",
            ["baseFiles"] = new Dictionary<string, string> { ["x.cs"] = "something else\n" },
            ["agent"] = CopilotAgent,
        });
        Assert.True(notApplying.IsError);
        Assert.Contains("does not apply to the given base contents at line 1", Text(notApplying));

        var noAudit = await client.CallToolAsync("explain_review", new Dictionary<string, object?> { ["platform"] = "github", ["repository"] = "acme/app", ["number"] = 7 });
        Assert.True(noAudit.IsError);
        Assert.Contains("no audit store", Text(noAudit));

        var valid = await client.CallToolAsync("validate_rules", new Dictionary<string, object?> { ["text"] = "version: 1\nrules: []\n" });
        Assert.True(valid.IsError != true, Text(valid));
    }

    [Fact]
    public async Task Validate_rules_gives_positioned_errors()
    {
        await using var client = await StdioClientAsync();

        var result = await client.CallToolAsync("validate_rules", new Dictionary<string, object?>
        {
            ["text"] = "version: 1\nrules:\n  - name: x\n    requier: { checks: [build] }\n",
        });

        var answer = Answer(result);
        Assert.False(answer.GetProperty("valid").GetBoolean());
        var errors = answer.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("file").GetString() == ".github/reviewbot.yml"
            && e.GetProperty("line").GetInt32() == 4 && e.GetProperty("column").GetInt32() == 5
            && e.GetProperty("text").GetString()!.Contains("requier", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_http_plan_change_reads_configured_repositories_and_refuses_paths()
    {
        await using var app = await StartHostAsync(Token);
        await using var client = await HttpClientAsync(app, Token);

        var byName = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["repository"] = "acme/app", ["base"] = "main", ["head"] = "feature", ["agent"] = CopilotAgent,
        });
        Assert.Equal(BuiltInApproval, Answer(byName).GetProperty("plan").GetProperty("decision").GetProperty("title").GetString());
        Assert.Equal("acme/app", Answer(byName).GetProperty("plan").GetProperty("repository").GetString());

        foreach (var path in new[] { _repo.Path, "/etc", "../" + Path.GetFileName(_repo.Path) })
        {
            var refused = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
            {
                ["repository"] = path, ["base"] = "main", ["agent"] = CopilotAgent,
            });
            Assert.True(refused.IsError, path);
            Assert.Contains("is not one this server serves (configured: acme/app)", Text(refused));
        }

        var diffWithPath = await client.CallToolAsync("plan_change", new Dictionary<string, object?>
        {
            ["repository"] = _repo.Path, ["diff"] = "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+x\n", ["baseFiles"] = new Dictionary<string, string> { ["x"] = "" }, ["agent"] = CopilotAgent,
        });
        Assert.True(diffWithPath.IsError);
    }

    [Fact]
    public async Task Over_http_every_call_is_logged_with_secrets_masked_and_long_arguments_by_size()
    {
        const string secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        await using var app = await StartHostAsync(Token);
        await using var client = await HttpClientAsync(app, Token);

        await client.CallToolAsync("validate_rules", new Dictionary<string, object?> { ["text"] = new string('#', 500), ["path"] = secret });
        await client.CallToolAsync("plan_change", new Dictionary<string, object?> { ["repository"] = "/etc", ["base"] = "main", ["agent"] = CopilotAgent });

        var lines = _log.Lines.Where(l => l.Contains("mcp call", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("mcp call validate_rules", StringComparison.Ordinal) && l.Contains(": ok in", StringComparison.Ordinal)
            && l.Contains("text=(500 characters)", StringComparison.Ordinal) && l.Contains("path=[redacted]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("mcp call plan_change", StringComparison.Ordinal) && l.Contains("tool error: repository '/etc' is not one this server serves", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, _log.All);
        Assert.DoesNotContain(Token, _log.All);
    }

    [Fact]
    public async Task Over_http_every_call_is_recorded_in_the_hosts_audit_store_without_secrets_or_contents()
    {
        const string secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        await using var app = await StartHostAsync(Token);
        var audit = app.Services.GetRequiredService<IAuditStore>();
        await audit.AppendAsync(AuditSamples.Decision("rec-1", "acme/app", 7, AuditSamples.T0));
        await using var client = await HttpClientAsync(app, Token);

        await client.CallToolAsync("validate_rules", new Dictionary<string, object?> { ["text"] = "version: 1\n# " + secret, ["path"] = secret });
        await client.CallToolAsync("plan_change", new Dictionary<string, object?> { ["repository"] = "/etc", ["base"] = "main", ["agent"] = CopilotAgent });
        var explained = await client.CallToolAsync("explain_review", new Dictionary<string, object?> { ["platform"] = "github", ["repository"] = "acme/app", ["number"] = 7 });

        var calls = (await audit.ListAsync(new AuditQuery { Limit = 0 })).Where(r => r.Event == "mcp.tool_call").ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal(("mcp", -1L, (object?)null), (c.Platform, c.Number, (object?)c.Decision)));
        var validate = Assert.Single(calls, c => c.Actions[0].StartsWith("mcp validate_rules", StringComparison.Ordinal));
        Assert.Equal("mcp validate_rules called by test-agent 1.2.3 (as the client declared itself, not verified): ok", validate.Actions[0]);
        Assert.Equal("arguments: text=(" + ("version: 1\n# " + secret).Length + " characters), path=[redacted]", validate.Actions[1]);
        var plan = Assert.Single(calls, c => c.Actions[0].StartsWith("mcp plan_change", StringComparison.Ordinal));
        Assert.Equal("/etc", plan.Repository);
        Assert.EndsWith(": tool error: repository '/etc' is not one this server serves", plan.Actions[0].Split(" (configured", 2)[0], StringComparison.Ordinal);
        Assert.Contains("agent=copilot-swe-agent[bot]", plan.Actions[1], StringComparison.Ordinal);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(calls));

        // A call is not a decision: explain_review still finds the pull request's decision, before and after the calls.
        Assert.Equal("rec-1", Answer(explained).GetProperty("record").GetProperty("id").GetString());
        var again = await client.CallToolAsync("explain_review", new Dictionary<string, object?> { ["platform"] = "github", ["repository"] = "acme/app", ["number"] = 7 });
        Assert.Equal("rec-1", Answer(again).GetProperty("record").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Over_stdio_with_a_database_every_call_is_recorded_and_audit_list_shows_it()
    {
        SqliteReviewStore.Open(_database).Dispose();
        await using (var client = await StdioClientAsync("--db", _database))
        {
            Answer(await client.CallToolAsync("validate_rules", new Dictionary<string, object?> { ["text"] = "version: 1\n" }));
        }

        using var stdout = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), ["audit", "list", "--db", _database], stdout, new StringWriter());

        Assert.Equal(ExitCodes.Success, exit);
        var line = Assert.Single(stdout.ToString().Split('\n'), l => l.StartsWith("mcp:", StringComparison.Ordinal));
        Assert.Contains(" -       -           mcp validate_rules called by test-agent 1.2.3 (as the client", line, StringComparison.Ordinal);   // state and authorship "-", the call as summary (cut at 80)
    }

    [Fact]
    public async Task Over_http_explain_review_reads_the_audit_store()
    {
        await using var app = await StartHostAsync(Token);
        await app.Services.GetRequiredService<IAuditStore>().AppendAsync(AuditSamples.Decision("rec-1", "acme/app", 7, AuditSamples.T0));
        await using var client = await HttpClientAsync(app, Token);

        var result = await client.CallToolAsync("explain_review", new Dictionary<string, object?> { ["platform"] = "github", ["repository"] = "acme/app", ["number"] = 7 });

        var answer = Answer(result);
        Assert.Equal("rec-1", answer.GetProperty("record").GetProperty("id").GetString());
        Assert.Contains("AllowAnonymous added", answer.GetProperty("explanation").GetString());

        var otherPlatform = await client.CallToolAsync("explain_review", new Dictionary<string, object?> { ["platform"] = "gitlab", ["repository"] = "acme/app", ["number"] = 7 });
        Assert.True(otherPlatform.IsError);
        Assert.Contains("no recorded decision for gitlab acme/app#7", Text(otherPlatform));
    }

    [Fact]
    public async Task Over_http_a_missing_or_wrong_token_is_401_and_without_a_token_configured_there_is_no_endpoint()
    {
        await using (var app = await StartHostAsync(Token))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/mcp", Initialize())).StatusCode);
            http.DefaultRequestHeaders.Authorization = new("Bearer", Token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/mcp", Initialize())).StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => HttpClientAsync(app, "wrong"));
        }

        await using var unconfigured = await StartHostAsync(token: null);
        using var anonymous = new HttpClient { BaseAddress = new Uri(unconfigured.Urls.First()) };
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/mcp", Initialize())).StatusCode);
    }

    private static StringContent Initialize() => new(
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
        System.Text.Encoding.UTF8, "application/json");

    /// <summary>What the test agent declares itself as in <c>initialize</c>.</summary>
    private static readonly McpClientOptions DeclaredAgent = new() { ClientInfo = new Implementation { Name = "test-agent", Version = "1.2.3" } };

    private static Task<McpClient> StdioClientAsync(params string[] arguments) => McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
    {
        Name = "reviewbot",
        Command = "dotnet",
        Arguments = [ServeProcess.CliDll, "mcp", .. arguments],
        // An empty directory: `mcp` opens ./reviewbot.db when one exists, and other tests may leave one in the test folder.
        WorkingDirectory = Directory.CreateTempSubdirectory("reviewbot-mcp-").FullName,
    }), DeclaredAgent);

    private static Task<McpClient> HttpClientAsync(WebApplication app, string token) => McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(new Uri(app.Urls.First()), "/mcp"),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }), DeclaredAgent);

    private async Task<WebApplication> StartHostAsync(string? token)
    {
        var app = Commands.ServeCommand.BuildHost([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(_log);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReviewBot:Storage:SqlitePath"] = _database,
                ["ReviewBot:Worker:Enabled"] = "false",
                ["ReviewBot:GitHub:WebhookSecret"] = "mcp-test-webhook-secret",
                ["ReviewBot:Mcp:Token"] = token,
                ["ReviewBot:Mcp:Repositories:acme/app"] = _repo.Path,
            });
        });
        await app.StartAsync();
        return app;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static JsonElement Answer(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        return JsonDocument.Parse(Text(result)).RootElement.Clone();
    }
}
