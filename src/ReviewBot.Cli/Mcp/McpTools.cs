using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Storage;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// The MCP server's tools, the same over stdio and HTTP. A tool is one <c>[McpServerToolType]</c> class answering
/// through <see cref="ToolAnswer"/>, and one line here; every call is logged by <see cref="AuditCalls"/>.
/// </summary>
internal static class McpTools
{
    public const string ServerName = "reviewbot";

    public static IMcpServerBuilder AddReviewBotTools(this IMcpServerBuilder builder, McpRepositories repositories)
    {
        builder.Services.AddSingleton(repositories);
        return builder
            .WithTools<PlanChangeTool>()
            .WithTools<ExplainReviewTool>()
            .WithTools<ValidateRulesTool>()
            .WithTools<AgentCapabilitiesTool>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(AuditCalls));
    }

    /// <summary>
    /// One log line per call (category <c>ReviewBot.Mcp</c>): tool, client, outcome, duration and the arguments —
    /// long ones (diffs, file contents, rules texts) by size only, short ones with anything shaped like a secret masked.
    /// </summary>
    private static McpRequestHandler<CallToolRequestParams, CallToolResult> AuditCalls(McpRequestHandler<CallToolRequestParams, CallToolResult> next)
        => async (context, cancellationToken) =>
        {
            var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger("ReviewBot.Mcp");
            var tool = context.Params?.Name ?? "(none)";
            var client = context.Server.ClientInfo?.Name ?? "(unknown client)";
            var arguments = Describe(context.Params?.Arguments);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await next(context, cancellationToken).ConfigureAwait(false);
                var error = result.IsError == true ? result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text : null;
                logger?.LogInformation(
                    "mcp call {Tool} by {Client}: {Outcome} in {Milliseconds} ms; arguments {Arguments}",
                    tool, client, error is null ? "ok" : "tool error: " + SecretRedactor.Redact(Shorten(error)), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, arguments);
                return result;
            }
            catch (Exception ex)
            {
                logger?.LogWarning(
                    "mcp call {Tool} by {Client}: failed ({Error}) in {Milliseconds} ms; arguments {Arguments}",
                    tool, client, ex.GetType().Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, arguments);
                throw;
            }
        };

    private static string Describe(IDictionary<string, JsonElement>? arguments)
        => arguments is null || arguments.Count == 0
            ? "(none)"
            : string.Join(", ", arguments.Select(a => a.Key + "=" + Describe(a.Value)));

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length > 120 => $"({value.GetString()!.Length} characters)",
        JsonValueKind.String => SecretRedactor.Redact(value.GetString()!)!,
        JsonValueKind.Object => $"({value.EnumerateObject().Count()} entries)",
        JsonValueKind.Array => $"({value.GetArrayLength()} items)",
        _ => value.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..297] + "...";
}
