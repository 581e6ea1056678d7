using System.Globalization;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Git;

/// <summary>
/// Reads the commits of a range from one <c>git log -z</c> call. Each record is a fixed list of
/// NUL-separated fields ending with the raw message (%B), and <c>-z</c> ends each record with a NUL; a
/// message cannot contain NUL, so the split is exact whatever the names and messages hold.
/// </summary>
internal static class CommitLogParser
{
    /// <summary>sha, parents, author name, email, date, committer name, email, date, message.</summary>
    public const string Format = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B";

    private const int FieldCount = 9;

    public static IReadOnlyList<string> LogArguments(string baseSha, string headSha)
        => ["log", "-z", "--topo-order", "--reverse", "--encoding=UTF-8", "--no-color", "--no-show-signature",
            "--format=" + Format, headSha, "^" + baseSha, "--"];

    public static IReadOnlyList<Commit> Parse(ReadOnlySpan<byte> output)
    {
        var fields = new List<string>();
        var commits = new List<Commit>();
        while (!output.IsEmpty)
        {
            var nul = output.IndexOf((byte)0);
            var field = nul < 0 ? output : output[..nul];
            fields.Add(GitText.Decode(field));
            output = nul < 0 ? [] : output[(nul + 1)..];
            if (fields.Count == FieldCount)
            {
                commits.Add(ToCommit(fields));
                fields.Clear();
            }
        }

        if (fields.Count != 0 && !(fields.Count == 1 && fields[0].Length == 0))
        {
            throw new GitCommandException($"unexpected git log output: a record with {fields.Count} of {FieldCount} fields");
        }

        return commits;
    }

    private static Commit ToCommit(List<string> f)
    {
        var message = f[8];
        return new Commit
        {
            Sha = f[0],
            Parents = f[1].Length == 0 ? [] : f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Author = new Person { Name = NullIfEmpty(f[2]), Email = NullIfEmpty(f[3]) },
            AuthoredAt = ParseDate(f[4]),
            Committer = new Person { Name = NullIfEmpty(f[5]), Email = NullIfEmpty(f[6]) },
            CommittedAt = ParseDate(f[7]),
            Message = message,
            Trailers = TrailerParser.Parse(message),
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static DateTimeOffset? ParseDate(string value)
        => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
