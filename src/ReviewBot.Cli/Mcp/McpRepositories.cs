namespace ReviewBot.Cli.Mcp;

/// <summary>Settings of the MCP server (<c>ReviewBot:Mcp</c>, docs/mcp.md).</summary>
public sealed record McpOptions
{
    public const string Section = "ReviewBot:Mcp";

    /// <summary>The bearer token HTTP clients must send to <c>/mcp</c>; without one the endpoint is not mapped.</summary>
    public string? Token { get; init; }

    /// <summary>The repositories <c>plan_change</c> may read, by name → local path (a clone the server keeps fetched).</summary>
    public Dictionary<string, string> Repositories { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Which repositories <c>plan_change</c> may read. Over stdio the caller runs the server on their own machine, so a
/// local path is theirs to give; over HTTP only the repositories the server's owner configured, by name, so a
/// caller can never make the server read an arbitrary path.
/// </summary>
internal sealed class McpRepositories(IReadOnlyDictionary<string, string> configured, bool localPathsAllowed)
{
    public bool LocalPathsAllowed => localPathsAllowed;

    /// <summary>The local path of <paramref name="repository"/>: a configured name, else (stdio only) a path.</summary>
    /// <exception cref="UsageException">Over HTTP, a repository that is not configured.</exception>
    public string PathOf(string repository)
    {
        if (configured.TryGetValue(repository, out var path))
        {
            return path;
        }

        if (localPathsAllowed)
        {
            return repository;
        }

        var names = configured.Count == 0 ? "none" : string.Join(", ", configured.Keys.Order(StringComparer.Ordinal));
        throw new UsageException(
            $"repository '{repository}' is not one this server serves (configured: {names}); over HTTP only repositories configured under {McpOptions.Section}:Repositories are read, never paths");
    }
}
