using System.Buffers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>
/// Static risk analysis of a change: parses base and head of each changed C# file (syntax only, no
/// compilation), pairs members across versions by identity, walks only the members the change touched,
/// and reports what the change introduces or removes. Non-C# files are judged by path rules.
/// </summary>
public sealed class RoslynRiskAnalyzer : IRiskAnalyzer
{
    /// <summary>The parse options used for every file (also by the benchmark's bare-parse baseline).</summary>
    public static CSharpParseOptions ParseOptions { get; } = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Preview)
        .WithDocumentationMode(DocumentationMode.None);

    private readonly IReadOnlyList<IRiskRule> rules;
    private readonly IMemberRule[] memberRules;
    private readonly IFileRule[] fileRules;
    private readonly IChangeRule[] changeRules;
    private readonly bool fullWalk;
    private Dispatch? dispatch; // built by the first analysis, not at construction (the host builds the analyzer at start-up)

    public RoslynRiskAnalyzer()
        : this(RiskRuleCatalog.Rules)
    {
    }

    public RoslynRiskAnalyzer(IReadOnlyList<IRiskRule> rules)
        : this(rules, fullWalk: false)
    {
    }

    /// <summary>
    /// The reference the guided walk is held to: every node of a walked member is visited and shown to every rule of
    /// its kind. Same findings, slower; for tests and the benchmark.
    /// </summary>
    public static RoslynRiskAnalyzer WithFullWalk() => new(RiskRuleCatalog.Rules, fullWalk: true);

    /// <param name="fullWalk">Visit every node of a walked member instead of only those around triggers (the reference the tests compare the guided walk with).</param>
    internal RoslynRiskAnalyzer(IReadOnlyList<IRiskRule> rules, bool fullWalk)
    {
        this.rules = rules;
        this.fullWalk = fullWalk;
        memberRules = rules.OfType<IMemberRule>().ToArray();
        fileRules = rules.OfType<IFileRule>().ToArray();
        changeRules = rules.OfType<IChangeRule>().ToArray();
    }

    private Dispatch Tables => dispatch ??= new Dispatch(rules);

    /// <summary>Which node kinds go to which syntax rules, and the text the walk searches for.</summary>
    private sealed class Dispatch
    {
        public Dispatch(IReadOnlyList<IRiskRule> rules)
        {
            var max = Enum.GetValues<SyntaxKind>().Max(k => (int)k) + 1;
            var lists = new List<ISyntaxRule>?[max];
            foreach (var rule in rules.OfType<ISyntaxRule>())
            {
                foreach (var kind in rule.Kinds)
                {
                    (lists[(int)kind] ??= []).Add(rule);
                }
            }

            ByKind = lists.Select(l => l?.ToArray()).ToArray();

            // Each syntax rule gets a bit; a trigger occurrence carries the bits of the rules that named it, and a
            // node is shown to a rule only when an occurrence of one of its triggers lies inside the node.
            var syntaxRules = rules.OfType<ISyntaxRule>().Distinct().ToList();
            var bit = new Dictionary<ISyntaxRule, ulong>();
            for (var i = 0; i < syntaxRules.Count; i++)
            {
                bit[syntaxRules[i]] = i < 64 ? 1UL << i : ulong.MaxValue; // past 64 rules: shown every visited node
            }

            ByKindBits = ByKind.Select(list => list?.Select(r => bit[r]).ToArray()).ToArray();
            var byFirst = new Dictionary<char, Dictionary<string, ulong>>();
            foreach (var rule in syntaxRules)
            {
                foreach (var trigger in rule.Triggers.Where(t => t.Length > 0))
                {
                    var same = byFirst.TryGetValue(trigger[0], out var d) ? d : byFirst[trigger[0]] = new Dictionary<string, ulong>(StringComparer.Ordinal);
                    same[trigger] = same.GetValueOrDefault(trigger) | bit[rule];
                }
            }

            TriggersByFirstChar = byFirst.ToDictionary(e => e.Key, e => e.Value.Select(x => (x.Key, x.Value)).ToArray());
            DecisionKinds = new bool[max];
            foreach (var kind in ComplexityKinds)
            {
                DecisionKinds[(int)kind] = true;
            }

            Searched = SearchValues.Create(
                syntaxRules.SelectMany(r => r.Triggers).Where(t => t.Length > 0).Concat(DecisionWords).Concat(DecisionPunctuation).Distinct().ToArray(), StringComparison.Ordinal);
        }

        public ISyntaxRule[]?[] ByKind { get; }

        public ulong[]?[] ByKindBits { get; }

        public Dictionary<char, (string Trigger, ulong Rules)[]> TriggersByFirstChar { get; }

        public bool[] DecisionKinds { get; }

        public SearchValues<string> Searched { get; }

        /// <summary>Unicode format characters (category Cf): allowed inside identifiers and not part of their names.</summary>
        public static SearchValues<char> FormatCharacters { get; } = SearchValues.Create(
            Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format).ToArray());
    }

    /// <summary>
    /// Text of the tokens that make a decision point (<see cref="ComplexityKinds"/>): every decision node has one of
    /// them as its own token. The words count only as whole words.
    /// </summary>
    private static readonly string[] DecisionWords = ["if", "while", "do", "for", "foreach", "catch", "and", "or", "case"];

    private static readonly string[] DecisionPunctuation = ["?", "&&", "||", "=>"];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> DecisionWordLookup =
        new HashSet<string>(DecisionWords, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<string> UnicodeEscapes = SearchValues.Create(["\\u", "\\U"], StringComparison.Ordinal);

    /// <summary>Nodes that add a decision point (cyclomatic complexity = decision points + 1).</summary>
    public static IReadOnlyList<SyntaxKind> ComplexityKinds { get; } =
    [
        SyntaxKind.IfStatement, SyntaxKind.WhileStatement, SyntaxKind.ForStatement, SyntaxKind.ForEachStatement,
        SyntaxKind.ForEachVariableStatement, SyntaxKind.DoStatement, SyntaxKind.CaseSwitchLabel, SyntaxKind.CasePatternSwitchLabel,
        SyntaxKind.SwitchExpressionArm, SyntaxKind.CatchClause, SyntaxKind.ConditionalExpression, SyntaxKind.LogicalAndExpression,
        SyntaxKind.LogicalOrExpression, SyntaxKind.CoalesceExpression, SyntaxKind.CoalesceAssignmentExpression,
        SyntaxKind.ConditionalAccessExpression, SyntaxKind.AndPattern, SyntaxKind.OrPattern,
    ];

    public async Task<RiskReport> AnalyzeAsync(PullRequestSnapshot snapshot, RiskOptions options, CancellationToken cancellationToken = default)
    {
        var thresholds = new RiskThresholds(options.Thresholds);
        var sink = new FindingSink(options);
        var notes = new List<AnalysisNote>();
        var files = snapshot.Files;

        // One batched request for every side of every file anyone needs.
        var requests = new List<FileRequest>();
        foreach (var file in files)
        {
            if (file.IsBinary || file.IsSubmodule)
            {
                continue;
            }

            var needed = PathRules.IsCSharp(file.Path) || fileRules.Any(r => sink.IsEnabled(r.Descriptor) && r.NeedsContent(file.Path));
            if (!needed)
            {
                continue;
            }

            if (file.BasePath is { } basePath)
            {
                requests.Add(new FileRequest(basePath, Side.Base));
            }

            if (file.HeadPath is { } headPath)
            {
                requests.Add(new FileRequest(headPath, Side.Head));
            }
        }

        // The project files that say whether a C# file is a published library, an application or tests.
        requests.AddRange(ProjectKinds.Requests(files.Where(f => PathRules.IsCSharp(f.Path) && !f.IsSubmodule).Select(f => f.Path)));
        var fetched = requests.Count == 0 ? [] : await snapshot.Contents.GetAsync(requests, cancellationToken).ConfigureAwait(false);
        var contents = new Dictionary<FileRequest, FileContent>();
        foreach (var content in fetched)
        {
            contents[new FileRequest(content.Path, content.Side)] = content;
        }

        return Analyze(snapshot, options, thresholds, sink, notes, contents, cancellationToken);
    }

    /// <summary>Everything after the one fetch: synchronous, outside the async state machine (whose hoisted locals slow hot loops).</summary>
    private RiskReport Analyze(
        PullRequestSnapshot snapshot,
        RiskOptions options,
        RiskThresholds thresholds,
        FindingSink sink,
        List<AnalysisNote> notes,
        Dictionary<FileRequest, FileContent> contents,
        CancellationToken cancellationToken)
    {
        var files = snapshot.Files;

        // File by file: parse both sides, pair members within the file, walk what changed, then let the trees
        // go (memory follows the change, not the repository). Leftovers are paired across files afterwards.
        // Files with a base side go first: once they are done, the base members a new file's members could still
        // be paired with are known, and members with no candidate are walked as pure additions.
        var generated = new HashSet<string>(StringComparer.Ordinal);
        var projects = new ProjectKinds(path => Text(contents, path, Side.Head) ?? Text(contents, path, Side.Base));
        var pairing = new MemberPairing();
        var context = new SyntaxContext();
        var walk = new WalkBuffers(Tables);
        var analysedFiles = 0;
        var fileNotes = new List<AnalysisNote>?[files.Count];
        var order = Enumerable.Range(0, files.Count).Where(i => files[i].BasePath is not null)
            .Concat(Enumerable.Range(0, files.Count).Where(i => files[i].BasePath is null));
        foreach (var index in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[index];
            if (!PathRules.IsCSharp(file.Path) || file.IsSubmodule)
            {
                continue;
            }

            var local = fileNotes[index] = [];
            if (file.IsBinary)
            {
                local.Add(new AnalysisNote(file.Path, "binary: not analysed"));
                continue;
            }

            var before = file.BasePath is { } bp ? Parse(file, bp, Side.Base, contents, options, thresholds, local, generated, projects) : null;
            var after = file.HeadPath is { } hp ? Parse(file, hp, Side.Head, contents, options, thresholds, local, generated, projects) : null;
            if (before is null && after is null)
            {
                continue;
            }

            analysedFiles++;
            pairing.PairWithinFile(before?.Members ?? [], after?.Members ?? []);
            if (file.BasePath is null && after is not null)
            {
                pairing.MarkUnpairable(after.Members);
            }

            foreach (var side in new[] { before, after })
            {
                if (side is not null)
                {
                    Walk(side, context, walk);
                    Release(side);
                }
            }
        }

        foreach (var list in fileNotes)
        {
            notes.AddRange(list ?? []);
        }

        var changed = pairing.Finish();
        foreach (var (before, after) in changed)
        {
            DiffFacts(before, after, sink);
            foreach (var rule in memberRules)
            {
                if (sink.IsEnabled(rule.Descriptor))
                {
                    rule.Compare(before, after, sink);
                }
            }
        }

        foreach (var file in files)
        {
            var wantsText = fileRules.Any(r => r.NeedsContent(file.Path));
            var baseText = wantsText ? Text(contents, file.BasePath, Side.Base) : null;
            var headText = wantsText ? Text(contents, file.HeadPath, Side.Head) : null;
            var fileContext = new FileChangeContext(file, baseText, headText, sink);
            foreach (var rule in fileRules)
            {
                if (sink.IsEnabled(rule.Descriptor))
                {
                    rule.Inspect(fileContext);
                }
            }
        }

        var metrics = ChangeMetricsCalculator.Compute(files, generated, analysedFiles);
        var changeContext = new ChangeContext { Files = files, Metrics = metrics, Thresholds = thresholds, Sink = sink, ChangedMembers = changed };
        foreach (var rule in changeRules)
        {
            if (sink.IsEnabled(rule.Descriptor))
            {
                rule.Inspect(changeContext);
            }
        }

        if (snapshot.FilesTruncated)
        {
            notes.Add(new AnalysisNote("", "the platform truncated the file list: files beyond it were not analysed"));
        }

        var findings = sink.Findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        var report = RiskScorer.Score(findings, metrics, notes, files, options, thresholds);
        return report with { Explanation = [.. report.Explanation, .. sink.IgnoredExplanation] };
    }

    private static string? Text(Dictionary<FileRequest, FileContent> contents, string? path, Side side)
        => path is not null && contents.TryGetValue(new FileRequest(path, side), out var c) && !SourceDecoder.LooksBinary(c.Bytes.Span)
            ? SourceDecoder.Decode(c.Bytes.Span, out _)
            : null;

    private static ParsedSide? Parse(
        ChangedFile file,
        string path,
        Side side,
        Dictionary<FileRequest, FileContent> contents,
        RiskOptions options,
        RiskThresholds thresholds,
        List<AnalysisNote> notes,
        HashSet<string> generated,
        ProjectKinds projects)
    {
        var label = side == Side.Base ? "base" : "head";
        if (!options.IncludeGenerated && PathRules.IsGeneratedPath(path))
        {
            if (generated.Add(file.Path))
            {
                notes.Add(new AnalysisNote(file.Path, "generated code: skipped (include_generated: true analyses it)"));
            }

            return null;
        }

        if (!contents.TryGetValue(new FileRequest(path, side), out var content))
        {
            notes.Add(new AnalysisNote(path, $"{label} content unavailable: not analysed"));
            return null;
        }

        var max = (long)thresholds["max_file_bytes"];
        if (content.Length > max)
        {
            notes.Add(new AnalysisNote(path, $"not analysed: too large ({label} {content.Length} bytes > max_file_bytes {max})"));
            return null;
        }

        var bytes = content.Bytes.Span;
        if (SourceDecoder.LooksBinary(bytes))
        {
            notes.Add(new AnalysisNote(path, $"{label} looks binary (NUL bytes): not analysed"));
            return null;
        }

        var source = SourceDecoder.Decode(bytes, out var decodeNote);
        if (decodeNote is not null)
        {
            notes.Add(new AnalysisNote(path, $"{label} {decodeNote}"));
        }

        if (!options.IncludeGenerated && PathRules.HasGeneratedHeader(source))
        {
            if (generated.Add(file.Path))
            {
                notes.Add(new AnalysisNote(file.Path, "generated code (<auto-generated> header): skipped"));
            }

            return null;
        }

        var text = SourceText.From(source);
        var tree = CSharpSyntaxTree.ParseText(text, FileBasedApp.Is(source) ? FileBasedApp.ParseOptions : ParseOptions, path);
        var root = (CompilationUnitSyntax)tree.GetRoot();
        if (root.ContainsDiagnostics)
        {
            var errors = tree.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            if (errors > 0)
            {
                notes.Add(new AnalysisNote(path, $"{label} has {errors} parse error(s): analysed what parsed"));
            }
        }

        if (root.ContainsDirectives && side == Side.Head
            && root.GetFirstDirective(d => d.IsKind(SyntaxKind.IfDirectiveTrivia)) is not null)
        {
            notes.Add(new AnalysisNote(path, "preprocessor branches: code in #if branches inactive without symbols was not analysed"));
        }

        var project = projects.KindOf(path);
        var isTest = PathRules.IsTestPath(file.Path) || project == ProjectKind.Test;
        var members = new MemberIndexer(path, side, source, text, isTest, file.Path).Index(root);
        if (project == ProjectKind.Application)
        {
            // Only the solution calls an application's public members, and the compiler checks every call.
            foreach (var member in members)
            {
                member.IsPublicApi = false;
            }
        }

        var entryPoint = PathRules.FileName(path).Equals("Program.cs", StringComparison.OrdinalIgnoreCase)
            || members.Any(m => m.Kind == MemberKind.TopLevel
                || (m.Kind == MemberKind.Method && m.Node is MethodDeclarationSyntax { Identifier.ValueText: "Main" } main
                    && main.Modifiers.Any(SyntaxKind.StaticKeyword)));
        return new ParsedSide(file, side, root, source, members, entryPoint);
    }

    /// <summary>Keeps what member rules need from the syntax of analysed members, then drops the nodes.</summary>
    private static void Release(ParsedSide side)
    {
        foreach (var member in side.Members)
        {
            if (member.Analysed && member.Node is { } node)
            {
                if (member.IsPublicApi)
                {
                    // Compared only between a base and a head version: a member that stays an addition needs none.
                    member.Signature = member.Unpairable ? "" : MemberIndexer.SignatureOf(node, member.DisplayName);
                    member.RequiresImplementation = MemberIndexer.RequiresImplementation(node);
                    member.Deprecated = Deprecation.IsDeprecated(node);
                }

                member.Node = null;
            }

            member.ClearRoots();
        }
    }

    /// <summary>Walk of the analysed members of one side, and its directives; iterative throughout.</summary>
    private void Walk(ParsedSide side, SyntaxContext context, WalkBuffers walk)
    {
        context.IsEntryPointFile = side.IsEntryPoint;
        Dictionary<SyntaxNode, MemberVersion>? owners = null;
        MemberVersion? fileMember = null;
        foreach (var member in side.Members)
        {
            if (member.Kind == MemberKind.File)
            {
                fileMember = member;
            }

            if (!member.Analysed)
            {
                continue;
            }

            context.Enter(member);
            foreach (var root in member.Roots)
            {
                if (side.Root.ContainsDirectives)
                {
                    owners ??= [];
                    owners[root] = member;
                }

                var text = side.Source.AsSpan(root.Span.Start, root.Span.Length);
                if (fullWalk || text.ContainsAny(UnicodeEscapes) || text.ContainsAny(Dispatch.FormatCharacters))
                {
                    // \u escapes and invisible formatting characters (a soft hyphen, a zero-width space, which
                    // identifiers may contain and names ignore) hide a name from a text search: walk every node.
                    foreach (var node in root.DescendantNodesAndSelf())
                    {
                        Visit(walk.Tables, node, member, context, ulong.MaxValue);
                    }
                }
                else
                {
                    WalkAroundTriggers(root, side.Source, member, context, walk);
                }
            }

            if (member.Node is not null && member.Kind != MemberKind.TopLevel && member.Kind != MemberKind.AssemblyAttributes)
            {
                owners?.TryAdd(member.Node, member);
            }
        }

        if (!side.Root.ContainsDirectives || fileMember is null)
        {
            return;
        }

        // Directives are trivia: each belongs to the member whose token carries it, or to the file.
        for (var directive = side.Root.GetFirstDirective(); directive is not null; directive = directive.GetNextDirective())
        {
            if (walk.Tables.ByKind[directive.RawKind] is not { } rules)
            {
                continue;
            }

            var owner = fileMember;
            for (var node = directive.ParentTrivia.Token.Parent; node is not null; node = node.Parent)
            {
                if (owners is not null && owners.TryGetValue(node, out var m))
                {
                    owner = m;
                    break;
                }

                if (node is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax)
                {
                    owner = null; // an unchanged member: same directives on both sides
                    break;
                }
            }

            if (owner is null)
            {
                continue;
            }

            context.Enter(owner);
            foreach (var rule in rules)
            {
                rule.Inspect(directive, context);
            }
        }
    }

    /// <param name="shownTo">Bits of the rules the node is shown to (those with a trigger inside it).</param>
    private static void Visit(Dispatch tables, SyntaxNode node, MemberVersion member, SyntaxContext context, ulong shownTo)
    {
        var kind = node.RawKind;
        if (tables.DecisionKinds[kind])
        {
            member.Complexity++;
        }

        if (tables.ByKind[kind] is { } rules && shownTo != 0)
        {
            var bits = tables.ByKindBits[kind]!;
            for (var i = 0; i < rules.Length; i++)
            {
                if ((bits[i] & shownTo) != 0)
                {
                    rules[i].Inspect(node, context);
                }
            }
        }
    }

    /// <summary>
    /// Visits, in document order (pre-order), exactly the nodes of <paramref name="root"/> that contain an occurrence
    /// of a rule trigger or a decision token, without materialising the rest of the tree: each occurrence is found
    /// by a vectorised text search, its token by a descent from the lowest already-visited node that contains it,
    /// and the nodes between are visited top-down. Any node of <paramref name="root"/> a rule reports on contains a
    /// trigger of that rule, and every decision node has its decision token, so rules and complexity see what a
    /// visit of every node would give them.
    /// </summary>
    private void WalkAroundTriggers(SyntaxNode root, string source, MemberVersion member, SyntaxContext context, WalkBuffers walk)
    {
        var start = root.Span.Start;
        var text = source.AsSpan(start, root.Span.Length);
        var hits = walk.Hits;
        hits.Clear();

        // One vectorised search for rule triggers and decision tokens together; each occurrence is then told apart.
        var hasSwitch = text.IndexOf("switch", StringComparison.Ordinal) >= 0;
        for (var offset = 0; offset < text.Length;)
        {
            var found = text[offset..].IndexOfAny(walk.Tables.Searched);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            offset = at + 1;
            var rules = RulesAt(walk.Tables, text[at..]);
            if (rules != 0 || IsDecisionToken(text, at, hasSwitch))
            {
                hits.Add(new Hit(start + at, rules));
            }
        }

        if (hits.Count == 0)
        {
            return;
        }

        var path = walk.Path;
        SyntaxNode? last = null; // the parent of the previous occurrence's token: it and its ancestors are visited
        foreach (var hit in hits)
        {
            var position = hit.Position;

            // The lowest visited node that contains the occurrence; the root when none is visited yet.
            var from = last;
            while (from is not null && from != root && !from.FullSpan.Contains(position))
            {
                from = from.Parent;
            }

            var token = (from ?? root).FindToken(position);
            var parent = token.Parent;
            if (parent is null || parent == last)
            {
                continue;
            }

            path.Clear();
            for (var node = parent; node is not null && node != from; node = node.Parent)
            {
                path.Add(node);
                if (node == root)
                {
                    break;
                }
            }

            for (var i = path.Count - 1; i >= 0; i--)
            {
                Visit(walk.Tables, path[i], member, context, RulesWithin(hits, path[i].Span));
            }

            last = parent;
        }
    }

    /// <summary>Bits of the rules with a trigger starting at the beginning of <paramref name="text"/>.</summary>
    private static ulong RulesAt(Dispatch tables, ReadOnlySpan<char> text)
    {
        var rules = 0UL;
        if (tables.TriggersByFirstChar.TryGetValue(text[0], out var candidates))
        {
            foreach (var (trigger, bits) in candidates)
            {
                if (text.StartsWith(trigger, StringComparison.Ordinal))
                {
                    rules |= bits;
                }
            }
        }

        return rules;
    }

    /// <summary>Bits of the rules with a trigger occurrence inside <paramref name="span"/> (hits are sorted by position).</summary>
    private static ulong RulesWithin(List<Hit> hits, TextSpan span)
    {
        var lo = 0;
        var hi = hits.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (hits[mid].Position < span.Start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var rules = 0UL;
        for (var i = lo; i < hits.Count && hits[i].Position < span.End; i++)
        {
            rules |= hits[i].Rules;
        }

        return rules;
    }

    /// <summary>A decision token starts at <paramref name="at"/>: punctuation, or a decision keyword as a whole word ("for" in "format" is none).</summary>
    private static bool IsDecisionToken(ReadOnlySpan<char> text, int at, bool hasSwitch)
    {
        // "=>" and "case" are decisions only in a switch: without the keyword they are lambdas, bodies, goto case.
        if (!char.IsAsciiLetter(text[at]))
        {
            foreach (var punctuation in DecisionPunctuation)
            {
                if (text[at..].StartsWith(punctuation, StringComparison.Ordinal))
                {
                    return hasSwitch || punctuation != "=>";
                }
            }

            return false;
        }

        if (at > 0 && (IsIdentifierPart(text[at - 1]) || text[at - 1] == '@') && !AfterNumber(text, at))
        {
            return false;
        }

        var end = at;
        while (end < text.Length && IsIdentifierPart(text[end]))
        {
            end++;
        }

        var word = text[at..end];
        return DecisionWordLookup.Contains(word) && (hasSwitch || !word.SequenceEqual("case"));
    }

    /// <summary>The letters and digits before <paramref name="at"/> start with a digit: a number such as <c>1or</c> or <c>0xfor</c>, where a keyword may follow without a space.</summary>
    private static bool AfterNumber(ReadOnlySpan<char> text, int at)
    {
        var start = at;
        while (start > 0 && IsIdentifierPart(text[start - 1]))
        {
            start--;
        }

        return char.IsAsciiDigit(text[start]);
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || (c > 127 && SyntaxFacts.IsIdentifierPartCharacter(c));

    /// <summary>Facts the head has more of (introduced) and, for members on both sides, facts it lost (removed).</summary>
    private static void DiffFacts(MemberVersion? before, MemberVersion? after, FindingSink sink)
    {
        if (after is not null)
        {
            ReportExcess(after, before, FactPolarity.Introduced, sink);
        }

        if (before is not null && after is not null)
        {
            ReportExcess(before, after, FactPolarity.Removed, sink);
        }
    }

    private static void ReportExcess(MemberVersion side, MemberVersion? other, FactPolarity polarity, FindingSink sink)
    {
        if (!HasFact(side, polarity))
        {
            return;
        }

        var facts = side.Facts.Where(f => f.Polarity == polarity).ToList();
        var others = other?.Facts.Where(f => f.Polarity == polarity).ToList() ?? [];

        // Pair identical code first, then what shares the rule's key; what is left is new (or gone).
        var exact = Counts(others, f => (f.Rule.Descriptor.Id, f.Key, f.Text));
        var unmatched = new List<RiskFact>();
                foreach (var fact in facts)
        {
            var k = (fact.Rule.Descriptor.Id, fact.Key, fact.Text);
            if (exact.TryGetValue(k, out var left) && left > 0)
            {
                exact[k] = left - 1;
            }
            else
            {
                unmatched.Add(fact);
            }
        }

        var coarse = new Dictionary<(string, string), int>();
        foreach (var ((id, key, _), left) in exact)
        {
            if (left > 0)
            {
                coarse[(id, key)] = coarse.GetValueOrDefault((id, key)) + left;
            }
        }

        foreach (var fact in unmatched)
        {
            var k = (fact.Rule.Descriptor.Id, fact.Key);
            if (coarse.TryGetValue(k, out var left) && left > 0)
            {
                coarse[k] = left - 1;
                continue;
            }

            var (start, end) = MemberVersion.Lines(side.Text, fact.Span);
            sink.Add(fact.Rule.Descriptor, side.Path, side.Side, start, end, fact.Message, MemberVersion.CodeOf(side.Text, fact.Span),
                TestCodeSeverity.For(fact.Rule.Descriptor, fact.Severity, side.IsTestFile));
        }
    }

    private static bool HasFact(MemberVersion member, FactPolarity polarity)
    {
        foreach (var fact in member.Facts)
        {
            if (fact.Polarity == polarity)
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<T, int> Counts<T>(List<RiskFact> facts, Func<RiskFact, T> key)
        where T : notnull
    {
        var counts = new Dictionary<T, int>();
        foreach (var fact in facts)
        {
            var k = key(fact);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }

        return counts;
    }

    private sealed record ParsedSide(ChangedFile File, Side Side, CompilationUnitSyntax Root, string Source, List<MemberVersion> Members, bool IsEntryPoint);

    /// <summary>An occurrence of a trigger (rule bits) or of a decision token (no bits) at a source position.</summary>
    private readonly record struct Hit(int Position, ulong Rules) : IComparable<Hit>
    {
        public int CompareTo(Hit other) => Position.CompareTo(other.Position);
    }

    /// <summary>Scratch lists of one analysis (the analyzer itself is shared between concurrent analyses).</summary>
    private sealed class WalkBuffers(Dispatch tables)
    {
        public Dispatch Tables { get; } = tables;

        public List<Hit> Hits { get; } = [];

        public List<SyntaxNode> Path { get; } = [];
    }
}
