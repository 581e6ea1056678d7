using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReviewBot.Cli.Mcp;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot mcp [--db PATH]</c>: the MCP server over stdio (docs/mcp.md), for a coding agent on the same
/// machine. stdout carries the protocol only; the log (one line per tool call) goes to stderr.
/// </summary>
public static class McpCommand
{
    public static Command Create()
    {
        var db = new Option<string?>("--db")
        {
            Description = "SQLite database of `reviewbot serve`, for explain_review (default: $ReviewBot__Storage__SqlitePath, else ./reviewbot.db when it exists).",
            HelpName = "PATH",
        };
        var command = new Command("mcp", "Run the MCP server over stdio: tools plan_change, explain_review, validate_rules (docs/mcp.md).") { db };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder([]);
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            if (AuditDatabase(parse.GetValue(db)) is { } path)
            {
                builder.Services.AddSingleton<IAuditStore>(_ => SqliteReviewStore.Open(path));
            }

            builder.Services.AddMcpServer(server => server.ServerInfo = new() { Name = McpTools.ServerName, Version = McpHttpEndpoint.CliVersion })
                .WithStdioServerTransport()
                .AddReviewBotTools(new McpRepositories(new Dictionary<string, string>(), localPathsAllowed: true));
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The database explain_review reads: the one given (which must exist), else the default when it exists.</summary>
    private static string? AuditDatabase(string? db)
    {
        if (!string.IsNullOrWhiteSpace(db))
        {
            return StoreFile.Resolve(db);
        }

        var fallback = Path.GetFullPath(Environment.GetEnvironmentVariable("ReviewBot__Storage__SqlitePath") is { Length: > 0 } env ? env : "reviewbot.db");
        return File.Exists(fallback) ? fallback : null;
    }
}
