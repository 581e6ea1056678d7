using System.Buffers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

public enum MemberKind
{
    Type,
    Delegate,
    Method,
    Constructor,
    Destructor,
    Operator,
    Property,
    Indexer,
    Event,
    Field,
    EnumMember,

    /// <summary>The top-level statements of a file.</summary>
    TopLevel,

    /// <summary>Assembly/module attributes of a file.</summary>
    AssemblyAttributes,

    /// <summary>Everything of a file outside members (directives before the first type, usings).</summary>
    File,
}

/// <summary>
/// A fact a syntax rule reported inside one member on one side. <see cref="Key"/> is what counts (base and
/// head are compared by it); <see cref="Text"/> (the exact code) pairs identical occurrences first so the
/// finding points at the line that really changed. <see cref="Cwes"/>, when set, are the CWE ids of this finding (a
/// subset of the rule's, for rules that find more than one weakness); null means the rule's.
/// </summary>
public sealed record RiskFact(IRiskRule Rule, string Key, string Text, FactPolarity Polarity, string Message, TextSpan Span, Severity? Severity)
{
    public IReadOnlyList<int>? Cwes { get; init; }

    /// <summary>Found in a method of the file as this call runs it (<see cref="HelperCalls"/>): the base version is searched for such calls too.</summary>
    public bool ThroughCall { get; init; }
}

/// <summary>
/// One member (type, method, property, …) on one side of the change, identified by containing type, kind,
/// name and parameter types, so that moves and reformatting keep its identity.
/// </summary>
public sealed class MemberVersion
{
    public required string Key { get; init; }

    /// <summary>Identity without parameter types: pairs a member whose signature changed.</summary>
    public required string LooseKey { get; init; }

    /// <summary>Key of the containing type (null for top-level members).</summary>
    public string? ParentKey { get; init; }

    public required MemberKind Kind { get; init; }

    /// <summary>
    /// Readable name, e.g. <c>Acme.Orders.OrderController.Delete(int)</c>. When none is given, the <see cref="Key"/> after its
    /// two-character kind prefix (<c>M:</c>, <c>T:</c>, …), made on first use: most members are never named.
    /// </summary>
    public string DisplayName
    {
        get => displayName ??= Key[2..];
        init => displayName = value;
    }

    private string? displayName;

    /// <summary>Whitespace-free declaration shape (modifiers, types, parameters) for API comparison.</summary>
    public string Signature { get; internal set; } = "";

    /// <summary>
    /// Public or protected, every containing type too, and not in test code or an application's project (see
    /// <see cref="Analysis.ProjectKinds"/>): a breaking change if removed.
    /// </summary>
    public bool IsPublicApi { get; internal set; }

    public bool IsTestMethod { get; init; }
    public bool IsTestFile { get; init; }
    public required string Path { get; init; }
    public required Side Side { get; init; }
    public required SourceText Text { get; init; }

    /// <summary>The declaration node (null for file-level pseudo-members).</summary>
    public SyntaxNode? Node { get; internal set; }

    /// <summary>Marked [Obsolete] or [Experimental] (itself or a containing type): callers were told it may go.</summary>
    public bool Deprecated { get; internal set; }

    /// <summary>A new interface member without body, or a new abstract member: implementers must add it.</summary>
    public bool RequiresImplementation { get; internal set; }

    /// <summary>
    /// A removed explicit parameterless constructor whose type, in the head, declares no instance constructor: the
    /// compiler's implicit one (public, protected in an abstract class) takes its place, so callers lose nothing.
    /// </summary>
    public bool ImplicitlyReplaced { get; internal set; }

    /// <summary>Where findings about the member as a whole point (its name).</summary>
    public TextSpan Anchor { get; init; }

    /// <summary>The decoded text of the member's file (what <see cref="OwnText"/> points into).</summary>
    internal string Source { get; init; } = "";

    /// <summary>The member's own text: its full span, or for a type its full span minus its members'.</summary>
    internal TextSpan[] OwnText { get; set; } = [];

    /// <summary>The text of <see cref="OwnText"/>, joined by line breaks.</summary>
    internal string OwnTextString => string.Join('\n', OwnText.Select(s => Source.Substring(s.Start, s.Length)));

    /// <summary>
    /// The own code of both versions is the same but for layout (unchanged, or only reformatted or re-indented): identical
    /// text is one vectorised comparison; otherwise their tokens, comments and directives are compared while the
    /// syntax trees are alive (see <see cref="Analysis.TokenEquality"/>), so that a string literal whose line moved to
    /// another indentation does not make its member look changed.
    /// </summary>
    internal bool SameTextAs(MemberVersion other)
    {
        if (OwnText.Length == other.OwnText.Length)
        {
            var identical = true;
            for (var i = 0; i < OwnText.Length && identical; i++)
            {
                identical = Source.AsSpan(OwnText[i].Start, OwnText[i].Length).SequenceEqual(other.Source.AsSpan(other.OwnText[i].Start, other.OwnText[i].Length));
            }

            if (identical)
            {
                return true;
            }
        }

        // Other characters than whitespace differ: some token or comment differs (one pass over the text, stopping at the
        // first difference, and no syntax nodes built for the members the walk will visit anyway).
        if (Kind != other.Kind || !SameNonWhitespace(other) || OwnNodes is not { } mine || other.OwnNodes is not { } theirs)
        {
            return false;
        }

        return Analysis.TokenEquality.Same(mine, Kind == MemberKind.Type ? Node : null, theirs, other.Kind == MemberKind.Type ? other.Node : null);
    }

    private bool SameNonWhitespace(MemberVersion other)
    {
        var mine = new NonWhitespace(Source, OwnText);
        var theirs = new NonWhitespace(other.Source, other.OwnText);
        while (true)
        {
            var a = mine.Next();
            if (a != theirs.Next())
            {
                return false;
            }

            if (a < 0)
            {
                return true;
            }
        }
    }

    /// <summary>The characters of some spans of a text that are not whitespace, one at a time; -1 at the end.</summary>
    private struct NonWhitespace(string source, TextSpan[] spans)
    {
        private int span;
        private int position = spans.Length > 0 ? spans[0].Start : 0;

        public int Next()
        {
            while (span < spans.Length)
            {
                if (position >= spans[span].End)
                {
                    span++;
                    position = span < spans.Length ? spans[span].Start : 0;
                    continue;
                }

                var c = source[position++];
                if (!char.IsWhiteSpace(c))
                {
                    return c;
                }
            }

            return -1;
        }
    }

    /// <summary>The nodes whose tokens make the member's own text (a type's without its members); null once released.</summary>
    private IReadOnlyList<SyntaxNode>? OwnNodes => Kind switch
    {
        MemberKind.File => null,
        MemberKind.TopLevel or MemberKind.AssemblyAttributes => scanRoots,
        _ => Node is null ? null : [Node],
    };

    /// <summary>Nodes the deep walk starts from (the member itself, or a type's header parts).</summary>
    internal List<SyntaxNode> ScanRoots => scanRoots ??= [];

    private List<SyntaxNode>? scanRoots;

    /// <summary>The deep walk's starting points: explicit roots (types, pseudo-members) or the node itself.</summary>
    internal IEnumerable<SyntaxNode> Roots => scanRoots ?? (Node is null ? [] : [Node]);

    internal void ClearRoots() => scanRoots = null;

    /// <summary>
    /// Head side of a new file only: no base member is left that the cross-file pairing could give it, so it stays
    /// an addition (no removed facts, no signature needed).
    /// </summary>
    internal bool Unpairable { get; set; }

    /// <summary>True when the change touched this member and it was walked.</summary>
    public bool Analysed { get; internal set; }

    /// <summary>Base side only: the head version this one was paired with (within its file, before the walk; across files, after it).</summary>
    internal MemberVersion? HeadVersion { get; set; }

    /// <summary>The file's analysis stopped part way (a budget or an error): the member's facts are incomplete and it is not judged.</summary>
    internal bool Discarded { get; set; }

    /// <summary>Cyclomatic complexity (decision points + 1); computed for analysed members outside test files (test code is not judged by it).</summary>
    public int Complexity { get; internal set; } = 1;

    public List<RiskFact> Facts { get; } = [];

    /// <summary>Base side only: the member is gone and so is its containing type (report the type, not each member).</summary>
    public bool ContainerRemoved { get; internal set; }

    /// <summary>Head side only: the containing type is new too.</summary>
    public bool ContainerAdded { get; internal set; }

    public (int Start, int End) DeclarationLines => Lines(Text, Anchor);

    public string DeclarationCode => CodeOf(Text, Anchor);

    public static (int Start, int End) Lines(SourceText text, TextSpan span)
    {
        var start = text.Lines.GetLineFromPosition(Math.Min(span.Start, text.Length)).LineNumber + 1;
        var end = text.Lines.GetLineFromPosition(Math.Min(Math.Max(span.Start, span.End - 1), text.Length)).LineNumber + 1;
        return (start, end);
    }

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\u0085\u2028\u2029");

    /// <summary>
    /// How many lines <see cref="Lines"/> gives for a span of this member's file, counted in its source without building
    /// the file's line table (line breaks as Roslyn reads them: CR, LF, CR LF, NEL, LS, PS).
    /// </summary>
    internal int LineCount(TextSpan span)
    {
        var start = Math.Min(span.Start, Source.Length);
        var last = Math.Min(Math.Max(span.Start, span.End - 1), Source.Length);
        var lines = 1;
        for (var at = start; at < last;)
        {
            var next = Source.AsSpan(at, last - at).IndexOfAny(LineBreaks);
            if (next < 0)
            {
                break;
            }

            at += next;
            var crBeforeLf = Source[at] == '\r' && at + 1 < Source.Length && Source[at + 1] == '\n';
            lines += crBeforeLf ? 0 : 1; // a line starts after each break that ends before the span's last character
            at++;
        }

        return lines;
    }

    /// <summary>The lines a span covers, trimmed, at most three lines and 300 characters.</summary>
    public static string CodeOf(SourceText text, TextSpan span)
    {
        var (start, end) = Lines(text, span);
        var last = Math.Min(end, start + 2);
        var parts = new List<string>(last - start + 1);
        for (var line = start; line <= last; line++)
        {
            parts.Add(text.Lines[line - 1].ToString().Trim());
        }

        var code = string.Join("\n", parts);
        return code.Length > 300 ? code[..297] + "..." : code;
    }

    public override string ToString() => $"{Side} {Key}";
}
