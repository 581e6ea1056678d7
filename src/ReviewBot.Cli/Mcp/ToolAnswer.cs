using System.Text.Json;
using ModelContextProtocol.Protocol;
using ReviewBot.Core.Serialization;
using ReviewBot.Git;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// How every tool answers: its value as JSON text (the documented shapes of docs/mcp.md), or a tool error
/// (<c>isError</c>) that says what was wrong with the call. Expected failures (bad arguments, unknown refs, a
/// repository that is not served) are worded for the caller; the SDK turns anything else into a generic tool error.
/// </summary>
internal static class ToolAnswer
{
    public static async Task<CallToolResult> RunAsync<T>(Func<Task<T>> answer)
    {
        try
        {
            return Json(await answer().ConfigureAwait(false), isError: false);
        }
        catch (Exception ex) when (ex is UsageException or GitSourceException or ArgumentException)
        {
            return Error(ex.Message);
        }
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>An answer that is itself a failure (e.g. rules with errors), with its details as JSON.</summary>
    public static CallToolResult Json<T>(T value, bool isError) => new()
    {
        IsError = isError,
        Content = [new TextContentBlock { Text = JsonSerializer.Serialize(value, ReviewBotJson.Options) }],
    };
}
