using System.Text;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>One changed file of a test change: base and head text (null: absent on that side).</summary>
public sealed record TestFile(string Path, string? Base, string? Head, string? PreviousPath = null);

/// <summary>
/// Builds snapshots from base/head strings and reads expected lines from markers: a line containing
/// <c>//!</c> (C#), <c>&lt;!--!--&gt;</c> (XML) or <c>#!</c> (YAML, editorconfig) expects a finding there,
/// on the side whose text carries the marker.
/// </summary>
public static class RiskTestKit
{
    public static readonly string[] Markers = ["//!", "<!--!-->", "#!"];

    public static PullRequestSnapshot Snapshot(params TestFile[] files) => Snapshot(files, (IReadOnlyDictionary<FileRequest, byte[]>?)null);

    public static PullRequestSnapshot Snapshot(IReadOnlyList<TestFile> files, IReadOnlyDictionary<FileRequest, byte[]>? rawContents)
    {
        var contents = new Dictionary<FileRequest, byte[]>();
        var changed = new List<ChangedFile>();
        foreach (var f in files)
        {
            var basePath = f.PreviousPath ?? f.Path;
            if (f.Base is not null)
            {
                contents[new FileRequest(basePath, Side.Base)] = Encoding.UTF8.GetBytes(f.Base);
            }

            if (f.Head is not null)
            {
                contents[new FileRequest(f.Path, Side.Head)] = Encoding.UTF8.GetBytes(f.Head);
            }

            var (added, deleted) = LineDelta(f.Base, f.Head);
            changed.Add(new ChangedFile
            {
                Path = f.Path,
                PreviousPath = f.PreviousPath,
                Status = f.Base is null ? FileStatus.Added : f.Head is null ? FileStatus.Removed : f.PreviousPath is not null ? FileStatus.Renamed : FileStatus.Modified,
                Additions = added,
                Deletions = deleted,
            });
        }

        foreach (var (request, bytes) in rawContents ?? new Dictionary<FileRequest, byte[]>())
        {
            contents[request] = bytes;
        }

        return new PullRequestSnapshot
        {
            Platform = Platform.Local,
            Repository = "test/repo",
            Author = Person.Unknown,
            BaseRef = "main",
            BaseSha = "b000000",
            HeadRef = "topic",
            HeadSha = "h000000",
            Files = changed,
            Contents = new InMemoryFileContents(contents),
        };
    }

    public static Task<RiskReport> AnalyzeAsync(params TestFile[] files) => AnalyzeAsync(RiskOptions.Default, files);

    public static Task<RiskReport> AnalyzeAsync(RiskOptions options, params TestFile[] files)
        => new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(Snapshot(files), options);

    /// <summary>(side, line) of every marker in the files.</summary>
    public static HashSet<(Side, int)> MarkedLines(IEnumerable<TestFile> files)
    {
        var result = new HashSet<(Side, int)>();
        foreach (var f in files)
        {
            Add(result, f.Base, Side.Base);
            Add(result, f.Head, Side.Head);
        }

        return result;
    }

    public static string StripMarkers(string text)
    {
        foreach (var m in Markers)
        {
            text = text.Replace(m, "", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The same code with an innocuous edit on most lines, so every member is re-analysed.</summary>
    public static string Touch(string text)
        => string.Join("\n", StripMarkers(text).Split('\n').Select(l =>
        {
            var t = l.TrimEnd();
            return t.EndsWith(';') || t.EndsWith('{') || t.EndsWith('}') ? t + " // touched" : l;
        }));

    private static void Add(HashSet<(Side, int)> result, string? text, Side side)
    {
        if (text is null)
        {
            return;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Markers.Any(m => lines[i].Contains(m, StringComparison.Ordinal)))
            {
                result.Add((side, i + 1));
            }
        }
    }

    private static (int Added, int Deleted) LineDelta(string? before, string? after)
    {
        var b = (before ?? "").Split('\n').Where(l => before is not null).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var a = (after ?? "").Split('\n').Where(l => after is not null).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var added = a.Sum(kv => Math.Max(0, kv.Value - b.GetValueOrDefault(kv.Key)));
        var deleted = b.Sum(kv => Math.Max(0, kv.Value - a.GetValueOrDefault(kv.Key)));
        return (added, deleted);
    }
}
