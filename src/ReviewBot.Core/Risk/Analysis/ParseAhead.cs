using System.Runtime.ExceptionServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// One side of a file, read, checked against the budgets that apply before parsing, and parsed: its text and tree, or
/// the reason it was refused (the file becomes an RB9001 finding). <see cref="DecodeNote"/> is what decoding said, either way.
/// </summary>
internal sealed record SideRead(string? Source, SyntaxTree? Tree, string? Refusal, string? DecodeNote);

/// <summary>
/// Reads and parses the C# files of a change ahead of their analysis, a batch of at least <paramref name="batchCharacters"/>
/// characters of decoded source at a time (or what is left), in the order the analysis takes them. Roslyn's parser runs faster back to back
/// than between the index and walk of other files: on modelcontextprotocol/csharp-sdk v1.0.0..v2.2.0, parsing in 1–4 MB
/// batches made the whole analysis 4–10% faster than parsing file by file, measured in one process (docs/risk-accuracy.md,
/// round 7); presumably what the parser keeps hot, the walks evict from the processor's caches. Memory holds one batch
/// of trees more, not the change's. A failure while reading a file is kept and thrown when the analysis takes that
/// file, so it is handled there, as if it had happened there.
/// </summary>
/// <param name="order">Indexes into <paramref name="files"/> of the files to read, in the order they are taken.</param>
internal sealed class ParseAhead(
    IReadOnlyList<ChangedFile> files,
    IReadOnlyList<int> order,
    Dictionary<FileRequest, FileContent> contents,
    AnalysisBudget budget,
    CancellationToken cancellationToken,
    long batchCharacters = ParseAhead.BatchCharacters)
{
    /// <summary>Decoded source read ahead at a time: 2 M characters (about 15 MB of trees and text).</summary>
    public const long BatchCharacters = 2L << 20;

    private readonly Dictionary<int, (SideRead? Base, SideRead? Head, ExceptionDispatchInfo? Failure)> read = [];
    private int next; // position in order of the first file not read yet

    /// <summary>Both sides of the file at <paramref name="index"/> (the next in order the analysis takes); throws what reading it threw.</summary>
    public (SideRead? Base, SideRead? Head) Take(int index)
    {
        if (!read.ContainsKey(index))
        {
            ReadBatch(index);
        }

        if (!read.Remove(index, out var sides))
        {
            throw new InvalidOperationException("files taken out of the order they were read in");
        }

        sides.Failure?.Throw();
        return (sides.Base, sides.Head);
    }

    private void ReadBatch(int index)
    {
        var characters = 0L;
        while (next < order.Count && (!read.ContainsKey(index) || characters < batchCharacters))
        {
            var at = order[next++];
            var file = files[at];
            SideRead? before = null;
            SideRead? after = null;
            try
            {
                before = file.BasePath is { } basePath ? Read(basePath, Side.Base) : null;
                after = file.HeadPath is { } headPath ? Read(headPath, Side.Head) : null;
                read[at] = (before, after, null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                read[at] = (before, after, ExceptionDispatchInfo.Capture(e));
            }

            characters += (before?.Source?.Length ?? 0) + (after?.Source?.Length ?? 0);
        }
    }

    private SideRead Read(string path, Side side)
    {
        var label = side == Side.Base ? "base" : "head";
        if (!contents.TryGetValue(new FileRequest(path, side), out var content))
        {
            // A platform that serves no text for what it takes to be binary must not make the file pass unseen.
            return new SideRead(null, null, $"content ({label} content unavailable)", null);
        }

        if (content.Length > budget.FileBytes)
        {
            return new SideRead(null, null, $"size ({label} {content.Length} bytes > max_file_bytes {budget.FileBytes})", null);
        }

        var source = SourceDecoder.Decode(content.Bytes.Span, out var decodeNote);
        if (!SourceDecoder.IsText(source))
        {
            return new SideRead(null, null, $"content ({label} does not decode as text)", decodeNote);
        }

        if (NestingEstimator.Estimate(source, budget.Nesting) > budget.Nesting)
        {
            return new SideRead(null, null, $"nesting ({label} nests deeper than max_nesting {budget.Nesting})", decodeNote);
        }

        var options = FileBasedApp.Is(source) ? FileBasedApp.ParseOptions : RoslynRiskAnalyzer.ParseOptions;
        return new SideRead(source, CSharpSyntaxTree.ParseText(SourceText.From(source), options, path, cancellationToken), null, decodeNote);
    }
}
