using System.Text;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// The analysis parses files ahead in batches (<see cref="ParseAhead"/>): each file must come back as if it had been read
/// when the analysis reached it, whatever batch it fell in, and a failure must land on its own file.
/// </summary>
public sealed class ParseAheadTests
{
    private static readonly AnalysisBudget Budget = new(new RiskThresholds(new Dictionary<string, double> { ["max_file_bytes"] = 200 }));

    private static readonly ChangedFile[] Files =
    [
        new() { Path = "A.cs", Status = FileStatus.Modified },
        new() { Path = "B.cs", Status = FileStatus.Added },
        new() { Path = "C.cs", Status = FileStatus.Removed },
        new() { Path = "Big.cs", Status = FileStatus.Modified },
        new() { Path = "Missing.cs", Status = FileStatus.Modified },
    ];

    private static readonly Dictionary<FileRequest, FileContent> Contents = new[]
    {
        Content("A.cs", Side.Base, "class A { }"),
        Content("A.cs", Side.Head, "class A { void M() { } }"),
        Content("B.cs", Side.Head, "class B { }"),
        Content("C.cs", Side.Base, "class C { }"),
        Content("Big.cs", Side.Base, "class Big { }"),
        Content("Big.cs", Side.Head, "class Big { " + new string(' ', 300) + "}"),
        Content("Missing.cs", Side.Head, "class Missing { }"),
    }.ToDictionary(c => new FileRequest(c.Path, c.Side));

    [Theory]
    [InlineData(1)] // a batch per file
    [InlineData(30)] // a few files per batch
    [InlineData(ParseAhead.BatchCharacters)] // one batch
    public void Every_file_comes_back_as_read_whatever_its_batch(long batchCharacters)
    {
        var order = new[] { 0, 3, 4, 1, 2 }; // files with a base side first, as the analysis takes them
        var ahead = new ParseAhead(Files, order, Contents, Budget, CancellationToken.None, batchCharacters);

        var a = ahead.Take(0);
        Assert.Equal("class A { }", a.Base!.Source);
        Assert.Equal("class A { void M() { } }", a.Head!.Tree!.GetText().ToString());

        var big = ahead.Take(3);
        Assert.NotNull(big.Base!.Tree);
        Assert.Null(big.Head!.Tree);
        Assert.Equal("size (head 313 bytes > max_file_bytes 200)", big.Head.Refusal);

        var missing = ahead.Take(4);
        Assert.Equal("content (base content unavailable)", missing.Base!.Refusal);
        Assert.Equal("class Missing { }", missing.Head!.Source);

        var added = ahead.Take(1);
        Assert.Null(added.Base);
        Assert.Equal("class B { }", added.Head!.Source);

        var removed = ahead.Take(2);
        Assert.Equal("class C { }", removed.Base!.Source);
        Assert.Null(removed.Head);
    }

    [Fact]
    public void A_failure_while_reading_a_later_file_lands_on_that_file_alone()
    {
        // The wall-clock backstop fires while the batch is being read, after the first file and before the second.
        using var backstop = new CancellationTokenSource();
        var order = new CancelAfterFirst([0, 1], backstop);
        var ahead = new ParseAhead(Files, order, Contents, Budget, backstop.Token);

        var first = ahead.Take(0);
        Assert.Equal("class A { void M() { } }", first.Head!.Source);
        Assert.ThrowsAny<OperationCanceledException>(() => ahead.Take(1));
    }

    [Fact]
    public void A_file_not_in_the_order_is_refused_rather_than_given_nothing()
    {
        var ahead = new ParseAhead(Files, [0, 1], Contents, Budget, CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => ahead.Take(2));
    }

    [Fact]
    public async Task A_change_over_several_batches_is_analysed_whole()
    {
        // 40 modified files of about 50 KB a side: over 4 MB of source, three batches.
        var report = await RiskTestKit.AnalyzeAsync(Enumerable.Range(0, 40).Select(i => new TestFile($"src/F{i}.cs", Source(i, "Base"), Source(i, "Head"))).ToArray());

        Assert.Equal(40, report.Findings.Count(f => f.RuleId == "RB3002"));
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB9001");
    }

    private static string Source(int index, string side)
    {
        var text = new StringBuilder($"class F{index} {{\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append("    int Field").Append(i).Append(" = ").Append(i).Append(";\n");
        }

        text.Append(side == "Head"
            ? "    void Run(string input) { System.Diagnostics.Process.Start(input); }\n"
            : "    void Run(string input) { }\n");
        return text.Append("}\n").ToString();
    }

    private static FileContent Content(string path, Side side, string text) => new(path, side, Encoding.UTF8.GetBytes(text));

    /// <summary>An order that cancels <paramref name="source"/> when its second file is looked up (that is, once the first was read).</summary>
    private sealed class CancelAfterFirst(int[] order, CancellationTokenSource source) : IReadOnlyList<int>
    {
        public int Count => order.Length;

        public int this[int position]
        {
            get
            {
                if (position == 1)
                {
                    source.Cancel();
                }

                return order[position];
            }
        }

        public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)order).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => order.GetEnumerator();
    }
}
