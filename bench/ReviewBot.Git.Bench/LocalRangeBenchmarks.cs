using BenchmarkDotNet.Attributes;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Git.Bench;

/// <summary>
/// The local reader on a generated repository: a range of <see cref="Commits"/> commits touching
/// <see cref="Files"/> files (10 lines each). Measures the snapshot load (fixed number of git processes)
/// and reading every changed file's head content in one <c>cat-file --batch</c> versus one call per file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class LocalRangeBenchmarks
{
    private GitRepoBuilder _repo = null!;
    private GitRepository _git = null!;
    private PullRequestSnapshot _snapshot = null!;
    private FileRequest[] _requests = [];

    [Params(200)]
    public int Commits { get; set; }

    [Params(1000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _repo = GitRepoBuilder.Init();
        _repo.Write("README.md", "bench\n");
        _repo.Commit("Initial");
        _repo.CreateBranch("feature", checkout: true);
        var perCommit = Math.Max(1, Files / Commits);
        for (var c = 0; c < Commits; c++)
        {
            for (var f = 0; f < perCommit; f++)
            {
                var index = (c * perCommit) + f;
                _repo.Write($"src/dir{index % 20}/File{index}.cs", string.Concat(Enumerable.Range(0, 10).Select(l => $"// line {l} of file {index} commit {c}\n")));
            }

            _repo.Commit($"Commit {c}\n\nBody of commit {c}.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
        }

        _git = GitRepository.OpenAsync(_repo.Path).GetAwaiter().GetResult();
        _snapshot = _git.LoadRangeAsync("main..feature").GetAwaiter().GetResult();
        _requests = [.. _snapshot.Files.Select(f => new FileRequest(f.Path, Side.Head))];
    }

    [GlobalCleanup]
    public void Cleanup() => _repo.Dispose();

    [Benchmark(Description = "LoadRangeAsync (commits, files, patches)")]
    public async Task<int> LoadRange()
    {
        var snapshot = await _git.LoadRangeAsync("main..feature");
        return snapshot.Commits.Count + snapshot.Files.Count;
    }

    [Benchmark(Description = "Contents: all files, one cat-file --batch")]
    public async Task<int> ContentsBatched()
        => (await _snapshot.Contents.GetAsync(_requests)).Count;

    [Benchmark(Description = "Contents: first 100 files, one call each")]
    public async Task<int> ContentsOneByOne()
    {
        var count = 0;
        foreach (var request in _requests.Take(100))
        {
            count += (await _snapshot.Contents.GetAsync([request])).Count;
        }

        return count;
    }
}
