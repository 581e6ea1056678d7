using System.Diagnostics;
using System.Text;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Benchmarks;

/// <summary>
/// A real change read once from a local repository (work tree or bare): the files `git diff base..head` lists, with
/// both sides of every changed file and of the project files the analyzer asks for, held in memory, so that the
/// measurement compares analysis and parse only (no git I/O in either).
/// </summary>
public sealed class GitRangeChange
{
    public GitRangeChange(string repository, string baseRevision, string headRevision)
    {
        var files = new List<ChangedFile>();
        foreach (var line in Git(repository, "diff", "--numstat", "--no-renames", baseRevision, headRevision).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            var binary = parts[0] == "-";
            files.Add(new ChangedFile
            {
                Path = parts[2],
                Status = FileStatus.Modified,
                Additions = binary ? 0 : int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                Deletions = binary ? 0 : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                IsBinary = binary,
            });
        }

        var requests = files.SelectMany(f => new[] { new FileRequest(f.Path, Side.Base), new FileRequest(f.Path, Side.Head) })
            .Concat(ProjectKinds.Requests(files.Where(f => PathRules.IsCSharp(f.Path)).Select(f => f.Path))).Distinct().ToList();
        var contents = new Dictionary<FileRequest, byte[]>();
        foreach (var (request, bytes) in CatFile(repository, requests, baseRevision, headRevision))
        {
            contents[request] = bytes;
        }

        // A file missing on one side was added or deleted.
        Files = files.Select(f => f with
        {
            Status = !contents.ContainsKey(new FileRequest(f.Path, Side.Base)) ? FileStatus.Added
                : !contents.ContainsKey(new FileRequest(f.Path, Side.Head)) ? FileStatus.Removed : FileStatus.Modified,
        }).ToList();
        foreach (var file in Files.Where(f => PathRules.IsCSharp(f.Path)))
        {
            foreach (var side in new[] { Side.Base, Side.Head })
            {
                if (contents.TryGetValue(new FileRequest(file.Path, side), out var bytes))
                {
                    Bytes.Add(bytes);
                }
            }
        }

        Snapshot = new PullRequestSnapshot
        {
            Platform = Platform.Local,
            Repository = repository,
            Author = Person.Unknown,
            BaseRef = baseRevision,
            BaseSha = baseRevision,
            HeadRef = headRevision,
            HeadSha = headRevision,
            Files = Files,
            Contents = new InMemoryFileContents(contents),
        };
    }

    public IReadOnlyList<ChangedFile> Files { get; }

    public PullRequestSnapshot Snapshot { get; }

    /// <summary>Both sides of every changed C# file, as the analyzer receives them.</summary>
    public List<byte[]> Bytes { get; } = [];

    private static IEnumerable<(FileRequest Request, byte[] Bytes)> CatFile(string repository, List<FileRequest> requests, string baseRevision, string headRevision)
    {
        var start = new ProcessStartInfo("git", ["--git-dir", GitDir(repository), "cat-file", "--batch"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var git = Process.Start(start)!;
        var writer = Task.Run(() =>
        {
            foreach (var r in requests)
            {
                git.StandardInput.Write($"{(r.Side == Side.Base ? baseRevision : headRevision)}:{r.Path}\n");
            }

            git.StandardInput.Close();
        });
        var output = git.StandardOutput.BaseStream;
        var results = new List<(FileRequest, byte[])>();
        foreach (var request in requests)
        {
            var header = ReadLine(output);
            if (header.EndsWith(" missing", StringComparison.Ordinal))
            {
                continue;
            }

            var size = int.Parse(header[(header.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var bytes = new byte[size];
            output.ReadExactly(bytes);
            output.ReadByte(); // the '\n' after the content
            if (header.Contains(" blob ", StringComparison.Ordinal))
            {
                results.Add((request, bytes));
            }
        }

        writer.Wait();
        git.WaitForExit();
        return results;
    }

    private static string ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        for (var b = stream.ReadByte(); b is >= 0 and not '\n'; b = stream.ReadByte())
        {
            bytes.Add((byte)b);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string GitDir(string repository) => Git(repository, "rev-parse", "--absolute-git-dir").Trim();

    private static string Git(string repository, params string[] args)
    {
        var start = new ProcessStartInfo("git", ["-C", repository, .. args]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(start)!;
        var text = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return git.ExitCode == 0 ? text : throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {repository}");
    }
}
