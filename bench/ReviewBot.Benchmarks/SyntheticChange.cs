using System.Globalization;
using System.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Benchmarks;

/// <summary>
/// A deterministic synthetic change: <c>files</c> C# files of realistic shape (a service class with ~25
/// members, ~300 lines), each modified in two methods and given one new method; optionally all new.
/// </summary>
public sealed class SyntheticChange
{
    /// <param name="conditional">Each file holds a <c>#if TRACE</c> method and a <c>#if NET8_0_OR_GREATER … #else … #endif</c> body.</param>
    public SyntheticChange(int files, bool allNew, bool conditional = false)
    {
        var changed = new List<ChangedFile>(files);
        var contents = new Dictionary<FileRequest, byte[]>();
        for (var i = 0; i < files; i++)
        {
            var path = $"src/Module{i % 40}/Service{i}.cs";
            var baseText = Source(i, modified: false, conditional);
            var headText = Source(i, modified: true, conditional);
            if (!allNew)
            {
                Bases.Add(baseText);
                contents[new FileRequest(path, Side.Base)] = Encoding.UTF8.GetBytes(baseText);
                Bytes.Add(contents[new FileRequest(path, Side.Base)]);
            }

            Heads.Add(headText);
            contents[new FileRequest(path, Side.Head)] = Encoding.UTF8.GetBytes(headText);
            Bytes.Add(contents[new FileRequest(path, Side.Head)]);
            changed.Add(new ChangedFile
            {
                Path = path,
                Status = allNew ? FileStatus.Added : FileStatus.Modified,
                Additions = allNew ? headText.Split('\n').Length : 14,
                Deletions = allNew ? 0 : 2,
            });
        }

        Snapshot = new PullRequestSnapshot
        {
            Platform = Platform.Local,
            Repository = "bench",
            Author = Person.Unknown,
            BaseRef = "main",
            BaseSha = "base",
            HeadRef = "topic",
            HeadSha = "head",
            Files = changed,
            Contents = new InMemoryFileContents(contents),
        };
    }

    public PullRequestSnapshot Snapshot { get; }

    public List<string> Bases { get; } = [];

    public List<string> Heads { get; } = [];

    /// <summary>UTF-8 bytes of every base and head file, as the content provider serves them.</summary>
    public List<byte[]> Bytes { get; } = [];

    private static string Source(int n, bool modified, bool conditional)
    {
        var sb = new StringBuilder();
        sb.Append("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Threading.Tasks;\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"namespace Acme.Module{n % 40};\n\n");
        sb.Append("/// <summary>Service number ").Append(n).Append(".</summary>\n");
        sb.Append(CultureInfo.InvariantCulture, $"public sealed class Service{n}\n{{\n");
        sb.Append("    private readonly Dictionary<string, int> cache = new();\n    private readonly object gate = new();\n\n");
        for (var m = 0; m < 22; m++)
        {
            var changedHere = modified && (m == 3 || m == 11);
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Computes value {m}.</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public async Task<int> Compute{m}Async(string key, int count, IReadOnlyList<int> values)\n    {{\n");
            sb.Append("        if (string.IsNullOrEmpty(key))\n        {\n            throw new ArgumentException(\"key\", nameof(key));\n        }\n\n");
            sb.Append("        var total = 0;\n        foreach (var v in values.Where(x => x > count))\n        {\n            total += v * 2;\n        }\n\n");
            sb.Append("        lock (gate)\n        {\n            cache[key] = total;\n        }\n\n");
            var tail = changedHere ? "        await Task.Delay(total % 3 + 1);\n        return total + 1;\n" : "        await Task.Yield();\n        return total;\n";
            sb.Append(conditional && m == 11 ? "#if NET8_0_OR_GREATER\n" + tail + "#else\n        await Task.Yield();\n        return -total;\n#endif\n" : tail);
            sb.Append("    }\n\n");
        }

        if (conditional)
        {
            sb.Append("#if TRACE\n    public void Trace(string message) => Console.WriteLine(message);\n#endif\n\n");
        }

        if (modified)
        {
            sb.Append("    public string Describe(string name) => $\"{name}: {cache.Count}\";\n");
        }

        sb.Append("    public int Count => cache.Count;\n}\n");
        return sb.ToString();
    }
}
