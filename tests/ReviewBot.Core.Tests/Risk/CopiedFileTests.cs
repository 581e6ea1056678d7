using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// A copied file (git's <c>C</c> status, GitHub's <c>copied</c>) is new content: its source stays in the head. Seen on
/// jbogard/MediatR, where a stream variant of a pipeline interface was written from the original while the original only
/// had its line endings touched, and the original's public API was reported as removed.
/// </summary>
public sealed class CopiedFileTests
{
    private const string Original = """
        namespace Pipeline;

        public delegate System.Threading.Tasks.Task<T> Next<T>();

        public interface IBehavior<TRequest, TResponse>
        {
            System.Threading.Tasks.Task<TResponse> Handle(TRequest request, Next<TResponse> next);
        }

        public static class Loader
        {
            public static void Load() { try { Read(); } catch (System.Exception) { } }

            private static void Read() { }
        }
        """;

    private static readonly string StreamCopy = Original.Replace("IBehavior", "IStreamBehavior").Replace("Next<", "StreamNext<").Replace("Loader", "StreamLoader");

    private static async Task<RiskReport> AnalyzeCopyAsync()
    {
        var snapshot = RiskTestKit.Snapshot(
            new TestFile("src/IBehavior.cs", Original, Original.Replace("\n", "\r\n")),
            new TestFile("src/IStreamBehavior.cs", null, StreamCopy));
        var files = snapshot.Files.Select(f => f.Path == "src/IStreamBehavior.cs"
            ? f with { Status = FileStatus.Copied, PreviousPath = "src/IBehavior.cs" }
            : f).ToList();
        return await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(snapshot with { Files = files }, RiskOptions.Default);
    }

    [Fact]
    public async Task The_source_of_a_copy_loses_nothing()
    {
        var report = await AnalyzeCopyAsync();

        Assert.DoesNotContain(report.Findings, f => f.RuleId is "RB5001" or "RB5002");
        Assert.DoesNotContain(report.Findings, f => f.Path == "src/IBehavior.cs");
    }

    [Fact]
    public async Task What_a_copy_brings_is_added_code()
    {
        var report = await AnalyzeCopyAsync();

        var swallowed = Assert.Single(report.Findings, f => f.RuleId == "RB4006");
        Assert.Equal(("src/IStreamBehavior.cs", Side.Head), (swallowed.Path, swallowed.Side));
    }

    [Fact]
    public void A_copy_has_no_base_side()
    {
        var copy = new ChangedFile { Path = "b.cs", PreviousPath = "a.cs", Status = FileStatus.Copied };
        var rename = copy with { Status = FileStatus.Renamed };

        Assert.Null(copy.BasePath);
        Assert.Equal("a.cs", rename.BasePath);
    }
}
