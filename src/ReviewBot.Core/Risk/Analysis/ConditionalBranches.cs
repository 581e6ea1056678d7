using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// The <c>#if</c> / <c>#elif</c> / <c>#else</c> branches of one side of a file, as parsed without symbols: where each
/// one's code lies, whether that parse took it, and which preprocessor symbols would make it taken. The parse without
/// symbols leaves code under <c>#if TRACE</c>, <c>#if RELEASE</c> or <c>#if NET8_0_OR_GREATER</c> unanalysed although an
/// ordinary build compiles it; the analyzer parses the file again under the symbol sets <see cref="NextSymbolSet"/>
/// proposes (a capped number) and keeps the findings that lie in branches the first parse did not take.
/// </summary>
internal sealed class ConditionalBranches
{
    private readonly List<Branch> branches = [];

    private readonly Microsoft.CodeAnalysis.Text.SourceText text;

    private ConditionalBranches(CompilationUnitSyntax root)
    {
        text = root.SyntaxTree.GetText();
        var lines = text.Lines;
        int Line(int position) => lines.GetLineFromPosition(position).LineNumber + 1;

        var chains = new Stack<List<Branch>>();
        Branch? Enclosing() => chains.Count > 0 ? chains.Peek()[^1] : null;
        var fixedSymbols = FixedSymbols(root);
        foreach (var directive in Directives(root))
        {
            switch (directive)
            {
                case IfDirectiveTriviaSyntax d:
                    var parent = Enclosing();
                    chains.Push([new Branch(d.SpanStart, $"#if {d.Condition}", d.Condition, [], parent, Line(d.SpanStart) + 1, d.BranchTaken)]);
                    break;
                case ElifDirectiveTriviaSyntax d when chains.Count > 0:
                    Close(chains.Peek(), Line(d.SpanStart) - 1);
                    var chain = chains.Peek();
                    chain.Add(new Branch(d.SpanStart, $"#elif {d.Condition}", d.Condition, chain.Select(b => b.Condition!).ToList(), chain[0].Parent, Line(d.SpanStart) + 1, d.BranchTaken));
                    break;
                case ElseDirectiveTriviaSyntax d when chains.Count > 0:
                    Close(chains.Peek(), Line(d.SpanStart) - 1);
                    var open = chains.Peek();
                    open.Add(new Branch(d.SpanStart, $"#else of {open[0].Label}", null, open.Select(b => b.Condition!).ToList(), open[0].Parent, Line(d.SpanStart) + 1, d.BranchTaken));
                    break;
                case EndIfDirectiveTriviaSyntax d when chains.Count > 0:
                    Close(chains.Peek(), Line(d.SpanStart) - 1);
                    branches.AddRange(chains.Pop());
                    break;
            }
        }

        while (chains.Count > 0)
        {
            var unclosed = chains.Pop();
            Close(unclosed, lines.Count);
            branches.AddRange(unclosed);
        }

        foreach (var branch in branches)
        {
            // A branch inside one the parse did not take was not taken either, whatever its own flag says.
            for (var b = branch; b is not null && !branch.Inactive; b = b.Parent)
            {
                branch.Inactive = !b.TakenWithoutSymbols;
            }

            for (var b = branch; b is not null && !branch.Dead; b = b.Parent)
            {
                branch.Dead = Evaluate(b.Condition, fixedSymbols) == false || b.Earlier.Any(e => Evaluate(e, fixedSymbols) == true);
            }
        }

        Inactive = branches.Where(b => b.Inactive).ToList();
    }

    /// <summary>Branches the parse without symbols did not take (those whose findings the analyzer looks for in other parses).</summary>
    public IReadOnlyList<Branch> Inactive { get; }

    /// <summary>
    /// The directives of a tree in document order, descending only into nodes that contain some. (Roslyn's
    /// <c>GetNextDirective</c> rescans a token's trivia from its start, quadratic when thousands of directives share one token.)
    /// </summary>
    public static IEnumerable<DirectiveTriviaSyntax> Directives(SyntaxNode root)
        => root.DescendantTrivia(n => n.ContainsDirectives).Where(t => t.IsDirective).Select(t => (DirectiveTriviaSyntax)t.GetStructure()!);

    /// <summary>
    /// Null when the side has no <c>#if</c>: the usual file costs nothing more (a file whose text has no <c>#</c> followed,
    /// after blanks, by <c>if</c> is not searched for one in its tree; <c>#region</c> and <c>#nullable</c> alone are common).
    /// </summary>
    public static ConditionalBranches? Of(CompilationUnitSyntax root, string source)
        => root.ContainsDirectives && MayHoldIf(source) && root.GetFirstDirective(d => d.IsKind(SyntaxKind.IfDirectiveTrivia)) is not null
            ? new ConditionalBranches(root)
            : null;

    /// <summary>
    /// Some <c>#</c> is followed, after whitespace as the compiler reads it (tabs, form feeds, any Unicode space), by
    /// <c>if</c>: a superset of the <c>#if</c> directives.
    /// </summary>
    private static bool MayHoldIf(string source)
    {
        for (var at = source.IndexOf('#'); at >= 0; at = source.IndexOf('#', at + 1))
        {
            var next = at + 1;
            while (next < source.Length && SyntaxFacts.IsWhitespace(source[next]))
            {
                next++;
            }

            if (source.AsSpan(next).StartsWith("if", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost inactive branch holding <paramref name="line"/> (1-based), or null when the parse without symbols analysed it.</summary>
    public Branch? InactiveAt(int line)
        => Inactive.Where(b => b.FirstLine <= line && line <= b.LastLine).MaxBy(b => b.FirstLine);

    /// <summary>
    /// The code of an inactive branch, once taken, stays inside it: its lines read alone end no string, character literal
    /// or comment they did not open and close every bracket they open. Only then can the code around it not parse
    /// differently under the symbols that take it (a branch that opens a verbatim string or a comment changes what the
    /// rest of the file is).
    /// </summary>
    public bool IsSelfContained(Branch branch)
    {
        var lines = text.Lines;
        if (branch.FirstLine > branch.LastLine || branch.LastLine > lines.Count)
        {
            return branch.FirstLine > branch.LastLine;
        }

        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lines[branch.FirstLine - 1].Start, lines[branch.LastLine - 1].EndIncludingLineBreak);
        var depth = 0;
        foreach (var token in SyntaxFactory.ParseTokens(text.ToString(span), options: RoslynRiskAnalyzer.ParseOptions))
        {
            if (token.ContainsDiagnostics)
            {
                return false;
            }

            depth += token.Kind() switch
            {
                SyntaxKind.OpenBraceToken or SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken => 1,
                SyntaxKind.CloseBraceToken or SyntaxKind.CloseParenToken or SyntaxKind.CloseBracketToken => -1,
                _ => 0,
            };
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    /// <summary>Marks the branches a parse under some symbols took (directives sit at the same positions in every parse of the text).</summary>
    public void MarkTaken(CompilationUnitSyntax root)
    {
        var byStart = Inactive.Where(b => !b.Covered).ToDictionary(b => b.Start);
        if (byStart.Count == 0)
        {
            return;
        }

        foreach (var directive in Directives(root))
        {
            if (byStart.TryGetValue(directive.SpanStart, out var branch) && directive is BranchingDirectiveTriviaSyntax { BranchTaken: true, IsActive: true })
            {
                branch.Covered = true;
            }
        }
    }

    /// <summary>Inactive branches no parse has taken yet (dead branches, which no symbol set takes, are not among them).</summary>
    public IEnumerable<Branch> Uncovered => Inactive.Where(b => !b.Covered && !b.Dead);

    /// <summary>
    /// Symbols the file itself fixes: <c>#define X</c> or <c>#undef X</c> outside every <c>#if</c>, each symbol always
    /// the same way (a symbol also defined or undefined inside some <c>#if</c>, or both ways, is not fixed). The compiler
    /// applies them under every set of symbols a build passes, so <c>#else</c> of <c>#if X</c> after <c>#define X</c>
    /// never compiles: it is dead code, not a branch the analysis failed to take.
    /// </summary>
    private static Dictionary<string, bool> FixedSymbols(CompilationUnitSyntax root)
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        var conditional = new HashSet<string>(StringComparer.Ordinal);
        var depth = 0;
        foreach (var directive in Directives(root))
        {
            switch (directive)
            {
                case IfDirectiveTriviaSyntax:
                    depth++;
                    break;
                case EndIfDirectiveTriviaSyntax:
                    depth = Math.Max(0, depth - 1);
                    break;
                case DefineDirectiveTriviaSyntax define:
                    Fix(define.Name.ValueText, true);
                    break;
                case UndefDirectiveTriviaSyntax undef:
                    Fix(undef.Name.ValueText, false);
                    break;
            }
        }

        foreach (var symbol in conditional)
        {
            result.Remove(symbol);
        }

        return result;

        void Fix(string symbol, bool defined)
        {
            if (depth > 0 || (result.TryGetValue(symbol, out var was) && was != defined))
            {
                conditional.Add(symbol);
            }

            result[symbol] = defined;
        }
    }

    /// <summary>A directive condition's value where the file's fixed symbols and literals decide it; null when a build's symbols do.</summary>
    private static bool? Evaluate(ExpressionSyntax? condition, IReadOnlyDictionary<string, bool> fixedSymbols) => condition switch
    {
        null => null,
        IdentifierNameSyntax id => fixedSymbols.TryGetValue(id.Identifier.ValueText, out var defined) ? defined : null,
        LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.TrueLiteralExpression) ? true : literal.IsKind(SyntaxKind.FalseLiteralExpression) ? false : null,
        ParenthesizedExpressionSyntax p => Evaluate(p.Expression, fixedSymbols),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not => !Evaluate(not.Operand, fixedSymbols),
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression)
            => (Evaluate(b.Left, fixedSymbols), Evaluate(b.Right, fixedSymbols)) switch
            {
                (false, _) or (_, false) => false,
                (true, true) => true,
                _ => null,
            },
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalOrExpression)
            => (Evaluate(b.Left, fixedSymbols), Evaluate(b.Right, fixedSymbols)) switch
            {
                (true, _) or (_, true) => true,
                (false, false) => false,
                _ => null,
            },
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.EqualsExpression) || b.IsKind(SyntaxKind.NotEqualsExpression)
            => (Evaluate(b.Left, fixedSymbols), Evaluate(b.Right, fixedSymbols)) is ({ } l, { } r) ? (l == r) == b.IsKind(SyntaxKind.EqualsExpression) : null,
        _ => null,
    };

    /// <summary>
    /// A symbol set meant to take branches not yet taken: first all the symbols the inactive conditions name; then, for
    /// the first branch not yet taken nor tried, the symbols its condition (and those of the branches around it) names
    /// without a <c>!</c>, minus those of the earlier conditions of its chain, so those are false. Null when every
    /// branch was taken or tried.
    /// </summary>
    public string[]? NextSymbolSet(ISet<string> tried)
    {
        // First every symbol any inactive condition names: one parse takes all the plain #if X branches at once.
        var all = Uncovered.SelectMany(b => Positive(b.Condition)).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (all.Length > 0 && tried.Add(string.Join(",", all)))
        {
            return all;
        }

        foreach (var branch in Uncovered.Where(b => !b.Tried))
        {
            branch.Tried = true;
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            for (var b = branch; b is not null; b = b.Parent)
            {
                wanted.UnionWith(Positive(b.Condition));
                foreach (var earlier in b.Earlier)
                {
                    wanted.ExceptWith(Positive(earlier));
                }
            }

            var set = wanted.Order(StringComparer.Ordinal).ToArray();
            if (tried.Add(string.Join(",", set)))
            {
                return set;
            }
        }

        return null;
    }

    private static IEnumerable<string> Positive(ExpressionSyntax? condition)
        => condition is null ? [] : condition.DescendantNodesAndSelf()
            .OfType<IdentifierNameSyntax>()
            .Where(id => !id.Ancestors().TakeWhile(a => a != condition.Parent).Any(a => a.IsKind(SyntaxKind.LogicalNotExpression)))
            .Select(id => id.Identifier.ValueText);

    private static void Close(List<Branch> chain, int lastLine) => chain[^1].LastLine = lastLine;

    /// <summary>One branch: its directive's position, a label naming its condition, and its lines (1-based, inclusive).</summary>
    internal sealed class Branch(int start, string label, ExpressionSyntax? condition, List<ExpressionSyntax> earlier, Branch? parent, int firstLine, bool taken)
    {
        public int Start { get; } = start;

        /// <summary><c>#if TRACE</c>, <c>#elif NET8_0_OR_GREATER</c>, <c>#else of #if DEBUG</c>.</summary>
        public string Label { get; } = label;

        public ExpressionSyntax? Condition { get; } = condition;

        /// <summary>Conditions of the chain's earlier branches (false when this one is taken).</summary>
        public List<ExpressionSyntax> Earlier { get; } = earlier;

        public Branch? Parent { get; } = parent;

        public int FirstLine { get; } = firstLine;

        public int LastLine { get; set; } = firstLine;

        public bool TakenWithoutSymbols { get; } = taken;

        public bool Inactive { get; set; }

        /// <summary>Some parse under symbols took the branch.</summary>
        public bool Covered { get; set; }

        /// <summary>A symbol set was derived for this branch.</summary>
        public bool Tried { get; set; }

        /// <summary>No build compiles the branch: the file's own <c>#define</c>/<c>#undef</c> (or a literal) decide against it.</summary>
        public bool Dead { get; set; }
    }
}
