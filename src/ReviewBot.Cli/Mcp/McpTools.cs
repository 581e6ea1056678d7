using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// The MCP server's tools, the same over stdio and HTTP. A tool is one <c>[McpServerToolType]</c> class answering
/// through <see cref="ToolAnswer"/>, and one line here; every call is logged, and recorded in the audit store when the
/// server has one, by <see cref="AuditCalls"/>.
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

    /// <summary>The event of the audit records of tool calls (<see cref="CallRecord"/>).</summary>
    public const string CallEvent = "mcp.tool_call";

    /// <summary>The arguments that carry contents (diffs, file contents, rules texts, descriptions): only their size is kept.</summary>
    private static readonly HashSet<string> ContentArguments = new(StringComparer.Ordinal) { "diff", "baseFiles", "text", "body" };

    /// <summary>
    /// Per call: one log line (category <c>ReviewBot.Mcp</c>) and, when the server has an audit store (<c>/mcp</c> on the
    /// host; stdio with a database), one audit record (<see cref="CallRecord"/>): tool, the client as it declared itself,
    /// outcome, duration and the arguments — contents and long ones by size only, short ones with anything shaped like
    /// a secret masked. A failure to record is logged and does not fail the call (a tool call reads, it changes nothing).
    /// </summary>
    private static McpRequestHandler<CallToolRequestParams, CallToolResult> AuditCalls(McpRequestHandler<CallToolRequestParams, CallToolResult> next)
        => async (context, cancellationToken) =>
        {
            var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger("ReviewBot.Mcp");
            var tool = context.Params?.Name ?? "(none)";
            var client = context.Server.ClientInfo is { } info ? $"{info.Name} {info.Version}".Trim() : "(unknown client)";
            var arguments = Describe(context.Params?.Arguments);
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                var result = await next(context, cancellationToken).ConfigureAwait(false);
                var error = result.IsError == true ? result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text : null;
                outcome = error is null ? "ok" : "tool error: " + SecretRedactor.Redact(Shorten(error));
                logger?.LogInformation(
                    "mcp call {Tool} by {Client}: {Outcome} in {Milliseconds} ms; arguments {Arguments}",
                    tool, client, outcome, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, arguments);
                await RecordAsync(context, CallRecord(tool, client, context.Params?.Arguments, arguments, outcome, null), logger, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception ex)
            {
                logger?.LogWarning(
                    "mcp call {Tool} by {Client}: failed ({Error}) in {Milliseconds} ms; arguments {Arguments}",
                    tool, client, ex.GetType().Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, arguments);
                await RecordAsync(context, CallRecord(tool, client, context.Params?.Arguments, arguments, "failed", $"the call failed ({ex.GetType().Name})"), logger, CancellationToken.None)
                    .ConfigureAwait(false);
                throw;
            }
        };

    /// <summary>
    /// The audit record of one tool call: not a decision (no <c>decision</c>), platform <c>mcp</c>, event
    /// <see cref="CallEvent"/>, the <c>repository</c> argument when there is one and number -1 (so it is never taken for a
    /// pull request's decision, nor crowds out the merge groups' number-0 records a pull request's evaluation looks up), and in <c>actions</c> the call, the caller as declared, the arguments and the outcome.
    /// </summary>
    /// <summary>The number of a tool call's record: no pull request (merge groups' records use 0).</summary>
    internal const long NotAPullRequest = -1;

    internal static AuditRecord CallRecord(string tool, string client, IDictionary<string, JsonElement>? raw, string arguments, string outcome, string? error)
    {
        var id = "mcp:" + Guid.NewGuid().ToString("N");
        var repository = raw is not null && raw.TryGetValue("repository", out var r) && r.ValueKind == JsonValueKind.String ? Describe(r) : "";
        return new AuditRecord
        {
            Id = id,
            Time = DateTimeOffset.UtcNow,
            Platform = "mcp",
            Repository = repository,
            Number = NotAPullRequest,
            HeadSha = "",
            DeliveryId = id,
            Event = CallEvent,
            Actions =
            [
                $"mcp {tool} called by {client} (as the client declared itself, not verified): {outcome}",
                $"arguments: {arguments}",
            ],
            Error = error,
        };
    }

    private static async Task RecordAsync(MessageContext context, AuditRecord record, ILogger? logger, CancellationToken cancellationToken)
    {
        if (context.Services?.GetService<IAuditStore>() is not { } store)
        {
            return;
        }

        try
        {
            await store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger?.LogWarning("mcp call {Tool}: could not be recorded in the audit store ({Error})", record.Actions[0], ex.GetType().Name);
        }
    }

    private static string Describe(IDictionary<string, JsonElement>? arguments)
        => arguments is null || arguments.Count == 0
            ? "(none)"
            : string.Join(", ", arguments.Select(a => a.Key + "=" + (ContentArguments.Contains(a.Key) ? Size(a.Value) : Describe(a.Value))));

    private static string Size(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"({value.GetString()!.Length} characters)",
        JsonValueKind.Object => $"({value.EnumerateObject().Count()} entries)",
        JsonValueKind.Array => $"({value.GetArrayLength()} items)",
        _ => "(given)",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length <= 120 => SecretRedactor.Redact(value.GetString()!)!,
        JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array => Size(value),
        _ => value.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..297] + "...";
}
