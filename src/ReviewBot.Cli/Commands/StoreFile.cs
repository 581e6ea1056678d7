using System.CommandLine;

namespace ReviewBot.Cli.Commands;

/// <summary>The SQLite file of the embedded store, as the `audit` and `queue` commands find it.</summary>
public static class StoreFile
{
    public static Option<string> Option() => new("--db")
    {
        Description = "SQLite database of `reviewbot serve` (default: $ReviewBot__Storage__SqlitePath, else ./reviewbot.db).",
        HelpName = "PATH",
    };

    /// <summary><paramref name="db"/>, else <c>$ReviewBot__Storage__SqlitePath</c>, else <c>./reviewbot.db</c>; a usage error when the file does not exist.</summary>
    public static string Resolve(string? db)
    {
        var path = Path.GetFullPath(!string.IsNullOrWhiteSpace(db) ? db
            : Environment.GetEnvironmentVariable("ReviewBot__Storage__SqlitePath") is { Length: > 0 } env ? env
            : "reviewbot.db");
        if (!File.Exists(path))
        {
            throw new UsageException($"no database at {path} (pass --db PATH; `reviewbot serve` writes ./reviewbot.db by default)");
        }

        return path;
    }
}
