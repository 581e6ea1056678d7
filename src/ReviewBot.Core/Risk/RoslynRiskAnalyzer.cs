using System.Buffers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Risk.Rules;
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

    /// <summary>
    /// The clock of the wall-clock backstop (<c>max_analysis_seconds</c>), given by the caller (the core reads no clock
    /// of its own); budgets themselves count, never time.
    /// </summary>
    public TimeProvider Clock { get; }
    private Dispatch? dispatch; // built by the first analysis, not at construction (the host builds the analyzer at start-up)

    /// <summary>The analyzer with every built-in rule.</summary>
    /// <param name="clock">The clock of the wall-clock backstop (the host's <see cref="TimeProvider"/>).</param>
    public RoslynRiskAnalyzer(TimeProvider clock)
        : this(clock, RiskRuleCatalog.Rules)
    {
    }

    public RoslynRiskAnalyzer(TimeProvider clock, IReadOnlyList<IRiskRule> rules)
        : this(clock, rules, fullWalk: false)
    {
    }

    /// <summary>
    /// The reference the guided walk is held to: every node of a walked member is visited and shown to every rule of
    /// its kind. Same findings, slower; for tests and the benchmark.
    /// </summary>
    public static RoslynRiskAnalyzer WithFullWalk(TimeProvider clock) => new(clock, RiskRuleCatalog.Rules, fullWalk: true);

    /// <param name="fullWalk">Visit every node of a walked member instead of only those around triggers (the reference the tests compare the guided walk with).</param>
    internal RoslynRiskAnalyzer(TimeProvider clock, IReadOnlyList<IRiskRule> rules, bool fullWalk)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
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
            FlowByKind = ByKind.Select(list => list?.Where(r => r.JudgesSinksByFlow).ToArray() is { Length: > 0 } flow ? flow : null).ToArray();

            // Each syntax rule gets a bit; a trigger occurrence carries the bits of the rules that named it, and a
            // node is shown to a rule only when an occurrence of one of its triggers lies inside the node. Bit 63 is
            // constant-named reflection's alone, bit 62 that of calls of the file's methods (HelperCalls); rules take
            // bits 0-61, and past 62 rules rule i shares bit i % 62 with others: a rule may then also see nodes around
            // a bit-mate's trigger (it inspects each node itself, so its findings are the same), never fewer, and the
            // walk stays guided for any number of rules.
            var syntaxRules = rules.OfType<ISyntaxRule>().Distinct().ToList();
            var bit = new Dictionary<ISyntaxRule, ulong>();
            for (var i = 0; i < syntaxRules.Count; i++)
            {
                bit[syntaxRules[i]] = 1UL << (i % RuleBits);
            }

            ByKindBits = ByKind.Select(list => list?.Select(r => bit[r]).ToArray()).ToArray();
            var others = syntaxRules.Where(r => r is not IRemovalRule { ReportsOnlyRemovals: true }).Aggregate(0UL, (bits, r) => bits | bit[r]);
            RemovalBits = syntaxRules.OfType<IRemovalRule>().Aggregate(0UL, (bits, r) => bits | bit[r]);
            RemovalOnlyBits = syntaxRules.OfType<IRemovalRule>().Where(r => r.ReportsOnlyRemovals).Aggregate(0UL, (bits, r) => bits | bit[r]) & ~others;
            var inTests = syntaxRules.Where(InspectsTestCode).Aggregate(0UL, (bits, r) => bits | bit[r]);
            var notInTests = syntaxRules.Where(r => !InspectsTestCode(r)).Aggregate(0UL, (bits, r) => bits | bit[r]) & ~inTests;
            BitsById = syntaxRules.GroupBy(r => r.Descriptor.Id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Aggregate(0UL, (bits, r) => bits | bit[r]), StringComparer.Ordinal);
            ReflectionBit = 1UL << (RuleBits + 1);
            HelperCallsBit = 1UL << RuleBits;
            InTestsBits = ~(notInTests | HelperCallsBit);
            FlowSinkTriggers = System.Buffers.SearchValues.Create(
                syntaxRules.Where(r => r.JudgesSinksByFlow).SelectMany(r => r.Triggers).Where(t => t.Length > 0).Distinct().ToArray(), StringComparison.Ordinal);
            var triggers = syntaxRules.SelectMany(r => r.Triggers.Select(t => (Trigger: t, Bit: bit[r])))
                .Concat(ReflectedApi.Triggers.Select(t => (Trigger: t, Bit: ReflectionBit)))
                .Concat(HelperCalls.Triggers.Select(t => (Trigger: t, Bit: HelperCallsBit)))
                .Where(t => t.Trigger.Length > 0)
                .ToList();
            Everywhere = new TriggerSearch(triggers, decisions: true);

            // Test files: only the triggers of rules that can report there, and no decision tokens (complexity shows only
            // in RB8001, which test code does not judge: TestCode).
            InTestFiles = new TriggerSearch(triggers.Where(t => (t.Bit & InTestsBits) != 0), decisions: false);

            // Base versions that can show only through removals and constant-named reflection (see SearchedRules), and
            // whose complexity cannot show either (see SearchFor).
            RemovalsAndReflection = new TriggerSearch(triggers.Where(t => (t.Bit & (RemovalBits | ReflectionBit)) != 0), decisions: false);

            DecisionKinds = new bool[max];
            foreach (var kind in ComplexityKinds)
            {
                DecisionKinds[(int)kind] = true;
            }
        }

        /// <summary>The search in members outside test files: every rule's triggers and the decision tokens.</summary>
        public TriggerSearch Everywhere { get; }

        /// <summary>The search in test files (<see cref="MemberVersion.IsTestFile"/>): the triggers of the rules that inspect test code.</summary>
        public TriggerSearch InTestFiles { get; }

        /// <summary>The search for the rules that report removals (<see cref="RemovalBits"/>) and for constant-named reflection.</summary>
        public TriggerSearch RemovalsAndReflection { get; }

        /// <summary>Bits of a mask the rules share (0-61); bit 62 is <see cref="HelperCallsBit"/>, bit 63 <see cref="ReflectionBit"/>.</summary>
        public const int RuleBits = 62;

        /// <summary>The bit of constant-named reflection (<see cref="ReflectedApi"/>): its calls are shown to the rules as the API they name.</summary>
        public ulong ReflectionBit { get; }

        /// <summary>The bit of the calls of the file's methods given tainted data (<see cref="HelperCalls"/>): shown to the rules as the call runs them.</summary>
        public ulong HelperCallsBit { get; }

        /// <summary>Triggers of the rules that judge their sinks by the flow pass: a method without any holds no such sink.</summary>
        public System.Buffers.SearchValues<string> FlowSinkTriggers { get; }

        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<TypeDeclarationSyntax, HashSet<string>> flowSinkHolders = new();

        /// <summary>
        /// Names of the methods of the types enclosing <paramref name="node"/> whose text (in <paramref name="source"/>, the
        /// file's) holds a trigger of a rule that judges its sinks by the flow pass, or could hide one from the search
        /// (<see cref="HidesTriggers"/>; every method when <paramref name="everyMethod"/>: aliases hide triggers in the
        /// file, or the walk visits every node). Once per type: a type is one side's, walked one way.
        /// </summary>
        public IReadOnlySet<string> FlowSinkHolders(SyntaxNode node, string source, bool everyMethod)
        {
            HashSet<string>? names = null;
            foreach (var type in node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
            {
                var own = flowSinkHolders.GetValue(type, t => t.Members.OfType<MethodDeclarationSyntax>()
                    .Where(m => everyMethod || source.AsSpan(m.Span.Start, m.Span.Length) is var text && (text.IndexOfAny(FlowSinkTriggers) >= 0 || HidesTriggers(text)))
                    .Select(m => m.Identifier.ValueText)
                    .ToHashSet(StringComparer.Ordinal));
                names = names is null ? own : [.. names, .. own];
            }

            return names ?? [];
        }

        /// <summary>The rule can report something in test code: it looks there, and <see cref="TestCode"/> judges its category there.</summary>
        private static bool InspectsTestCode(ISyntaxRule rule) => rule.InspectsTestCode && TestCode.Judges(rule.Descriptor);

        /// <summary>Bits only rules whose facts are all removals hold: left out of the search in members that can lose nothing.</summary>
        public ulong RemovalOnlyBits { get; }

        /// <summary>
        /// Bits searched in test files: all but those only rules that report nothing in test code hold
        /// (<see cref="ISyntaxRule.InspectsTestCode"/> false, or a category <see cref="TestCode"/> does not judge there),
        /// and not <see cref="HelperCallsBit"/> (what a test passes to a helper is the test's own data).
        /// </summary>
        public ulong InTestsBits { get; }

        /// <summary>Bits of the rules that report removals (<see cref="IRemovalRule"/>).</summary>
        public ulong RemovalBits { get; }

        /// <summary>Bits of the syntax rules by rule id (facts are compared by id).</summary>
        public Dictionary<string, ulong> BitsById { get; }

        public ISyntaxRule[]?[] ByKind { get; }

        /// <summary>The rules of <see cref="ByKind"/> that judge their sinks by the flow pass (those a called method is shown to).</summary>
        public ISyntaxRule[]?[] FlowByKind { get; }

        public ulong[]?[] ByKindBits { get; }

        public bool[] DecisionKinds { get; }


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

    /// <summary>Escapes that spell a character by its code: in a name (\u) or a literal (\u, \x) they hide text a trigger names.</summary>
    private static readonly SearchValues<string> CharacterEscapes = SearchValues.Create(["\\u", "\\U", "\\x"], StringComparison.Ordinal);

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
            // Git's binary flag is not trusted for C#: a NUL in a comment or UTF-16 makes git call a source file
            // binary; the decoder decides.
            if (file.IsSubmodule || (file.IsBinary && !PathRules.IsCSharp(file.Path)))
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

        // Parse and walk on a thread of their own with a large stack (see LargeStack).
        return await LargeStack.RunAsync(() => Analyze(snapshot, options, thresholds, sink, notes, contents, cancellationToken), "reviewbot-risk")
            .ConfigureAwait(false);
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

        // File by file: parse both sides (parsed ahead in batches, see ParseAhead), pair members within the file, walk
        // what changed, then let the trees go (memory follows a batch, not the change or the repository). Leftovers are
        // paired across files afterwards.
        // Files with a base side go first: once they are done, the base members a new file's members could still
        // be paired with are known, and members with no candidate are walked as pure additions.
        var generated = new HashSet<string>(StringComparer.Ordinal); // generated files: excluded from line counts
        var lowered = new HashSet<string>(StringComparer.Ordinal); // paths whose findings are shown one severity lower
        var projects = new ProjectKinds(path => Text(contents, path, Side.Head) ?? Text(contents, path, Side.Base));
        var pairing = new MemberPairing();
        var context = new SyntaxContext();
        var budget = new AnalysisBudget(thresholds);
        var walk = new WalkBuffers(Tables, budget, thresholds["complexity"]);
        var notAnalysable = new List<(ChangedFile File, string Reason)>();
        string? spent = null; // set once a budget of the whole evaluation is spent: every later file is refused with it
        using var backstop = new CancellationTokenSource(budget.WallClock, Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, backstop.Token);
        walk.Cancellation = linked.Token;
        var analysed = new HashSet<ChangedFile>();
        var fileNotes = new List<AnalysisNote>?[files.Count];
        var names = new NameResolution(GlobalAliases(contents), IsTriggerName);
        var order = Enumerable.Range(0, files.Count).Where(i => files[i].BasePath is not null)
            .Concat(Enumerable.Range(0, files.Count).Where(i => files[i].BasePath is null))
            .Where(i => PathRules.IsCSharp(files[i].Path) && !files[i].IsSubmodule)
            .ToList();
        var ahead = new ParseAhead(files, order, contents, budget, linked.Token);
        foreach (var index in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[index];
            var local = fileNotes[index] = [];
            if (spent is not null)
            {
                notAnalysable.Add((file, spent));
                continue;
            }

            ParsedSide? before = null;
            ParsedSide? after = null;
            try
            {
                var refusals = new List<string>();
                var (baseRead, headRead) = ahead.Take(index);
                before = baseRead is not null ? Parse(file, file.BasePath!, Side.Base, baseRead, names, local, refusals, projects, linked.Token) : null;
                after = headRead is not null ? Parse(file, file.HeadPath!, Side.Head, headRead, names, local, refusals, projects, linked.Token) : null;
                if (refusals.Count > 0)
                {
                    if (after is null && file.HeadPath is null)
                    {
                        // A deleted file introduces nothing, and removals are judged only for members that stay.
                        local.Add(new AnalysisNote(file.Path, $"deleted, not analysable: {string.Join("; ", refusals)}"));
                    }
                    else
                    {
                        notAnalysable.Add((file, string.Join("; ", refusals)));
                    }

                    continue;
                }

                if (before is null && after is null)
                {
                    continue;
                }

                ClassifyGenerated(file, before, after, options, local, generated, lowered);
                analysed.Add(file);
                pairing.PairWithinFile(before?.Members ?? [], after?.Members ?? []);
                if (file.BasePath is null && after is not null)
                {
                    pairing.MarkUnpairable(after.Members);
                }

                walk.StartFile();
                var branches = (Before: before is null ? null : ConditionalBranches.Of(before.Root, before.Source), After: after is null ? null : ConditionalBranches.Of(after.Root, after.Source));
                WalkAndRelease(before, after, context, walk);

                if (InactiveCodeTouched(before, branches.Before) || InactiveCodeTouched(after, branches.After))
                {
                    var uncovered = AnalyzeInactiveBranches(file, before, after, branches.Before, branches.After, names, budget, context, walk, sink, linked.Token);
                    if (uncovered is not null)
                    {
                        notAnalysable.Add((file, uncovered));
                    }
                }
            }
            catch (BudgetExceededException e)
            {
                analysed.Remove(file);
                Discard(before, after);
                notAnalysable.Add((file, e.Message));
                spent = e.Evaluation ? e.Message : null;
            }
            catch (OperationCanceledException) when (backstop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                analysed.Remove(file);
                Discard(before, after);
                spent = $"the wall-clock backstop (max_analysis_seconds {budget.WallClock.TotalSeconds:0}) was reached";
                notAnalysable.Add((file, spent));
                notes.Add(new AnalysisNote("", spent + ": the files from here on were not analysed, and a replay on another machine may differ"));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // Never a crash, never silence: the file gates instead.
                analysed.Remove(file);
                Discard(before, after);
                notAnalysable.Add((file, $"the analyzer failed on it ({e.GetType().Name})"));
            }
        }

        foreach (var (file, reason) in notAnalysable)
        {
            var side = file.HeadPath is null ? Side.Base : Side.Head;
            sink.Add(NotAnalysable.Descriptor, file.HeadPath ?? file.BasePath ?? file.Path, side, 1, 1, $"not analysable: {reason}; its changes were not checked, review it by hand");
        }

        foreach (var list in fileNotes)
        {
            notes.AddRange(list ?? []);
        }

        var changed = pairing.Finish();
        foreach (var (before, after) in changed)
        {
            if (before?.Discarded == true || after?.Discarded == true)
            {
                continue;
            }

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

        var metrics = ChangeMetricsCalculator.Compute(files, generated, analysed.Count);
        var changeContext = new ChangeContext { Files = files, Metrics = metrics, Thresholds = thresholds, Sink = sink, ChangedMembers = changed, AnalysedFiles = analysed };
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

        var findings = FindingIds.Assign(sink.Findings
            .Select(f => lowered.Contains(f.Path) && f.RuleId != NotAnalysable.Descriptor.Id ? Lower(f) : f)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList());
        var report = RiskScorer.Score(findings, metrics, notes, files, options, thresholds);
        return report with { Explanation = [.. report.Explanation, .. sink.IgnoredExplanation] };
    }

    private static string? Text(Dictionary<FileRequest, FileContent> contents, string? path, Side side)
        => path is not null && contents.TryGetValue(new FileRequest(path, side), out var c) && SourceDecoder.Decode(c.Bytes.Span, out _) is var text
            && SourceDecoder.IsText(text)
            ? text
            : null;

    /// <summary>
    /// One side of a file as <see cref="ParseAhead"/> read it: its parse errors noted, indexed. A side refused before parsing
    /// (over a budget, no content) or by the parser adds its reason to <paramref name="refusals"/> (the file becomes an
    /// RB9001 finding).
    /// </summary>
    private static ParsedSide? Parse(
        ChangedFile file,
        string path,
        Side side,
        SideRead read,
        NameResolution names,
        List<AnalysisNote> notes,
        List<string> refusals,
        ProjectKinds projects,
        CancellationToken cancellationToken)
    {
        var label = side == Side.Base ? "base" : "head";
        if (read.DecodeNote is not null)
        {
            notes.Add(new AnalysisNote(path, $"{label} {read.DecodeNote}"));
        }

        if (read is not { Source: { } source, Tree: { } tree })
        {
            refusals.Add(read.Refusal!);
            return null;
        }

        var root = (CompilationUnitSyntax)tree.GetRoot(cancellationToken);
        if (root.ContainsDiagnostics)
        {
            // Only the first errors: placing each one costs a walk down the tree, which on a deep broken file with
            // tens of thousands of errors is quadratic.
            var diagnostics = tree.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Take(MaxParseErrorsCounted + 1).ToList();
            if (diagnostics.Any(d => d.Id == InsufficientStack))
            {
                refusals.Add($"nesting ({label}: the parser gave up on an expression too deep for it)");
                return null;
            }

            if (diagnostics.Count > 0)
            {
                var count = diagnostics.Count > MaxParseErrorsCounted ? $"more than {MaxParseErrorsCounted}" : diagnostics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                notes.Add(new AnalysisNote(path, $"{label} has {count} parse error(s): analysed what parsed"));
            }
        }

        return Index(file, path, side, source, tree.GetText(cancellationToken), root, names, projects.KindOf(path));
    }

    /// <summary>Members, entry point, generated status and name resolution of one parsed side (<paramref name="text"/> is <paramref name="source"/>'s, which <paramref name="root"/> was parsed from).</summary>
    private static ParsedSide Index(ChangedFile file, string path, Side side, string source, SourceText text, CompilationUnitSyntax root, NameResolution names, ProjectKind project)
    {
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
        var generated = PathRules.IsGeneratedPath(path) || PathRules.HasGeneratedHeader(source);
        var aliases = TypeAliases.Of(root, names.GlobalAliases, names.IsTrigger);
        return new ParsedSide(file, side, root, source, members, entryPoint, generated, aliases, aliases?.HidesTrigger(names.IsTrigger) == true, project);
    }

    /// <summary>
    /// Parses the file again under the symbol sets its inactive <c>#if</c> branches need (at most <c>max_symbol_sets</c>),
    /// walks and compares what changed as usual, and keeps the findings that lie in a branch the parse without symbols
    /// did not take, each naming the branch's condition. Returns the RB9001 reason when some branch could not be taken
    /// within the budget, else null.
    /// </summary>
    private string? AnalyzeInactiveBranches(
        ChangedFile file,
        ParsedSide? before,
        ParsedSide? after,
        ConditionalBranches? baseBranches,
        ConditionalBranches? headBranches,
        NameResolution names,
        AnalysisBudget budget,
        SyntaxContext context,
        WalkBuffers walk,
        FindingSink sink,
        CancellationToken cancellationToken)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal) { "" };
        var reported = new HashSet<(string, Side, int, string)>();
        for (var sets = 0; sets < budget.SymbolSets; sets++)
        {
            var symbols = headBranches?.NextSymbolSet(tried) ?? baseBranches?.NextSymbolSet(tried);
            if (symbols is null)
            {
                break;
            }

            var options = ParseOptions.WithPreprocessorSymbols(symbols);
            var variantBefore = before is null ? null : Reparse(before, baseBranches is not null, options, names, cancellationToken);
            var variantAfter = after is null ? null : Reparse(after, headBranches is not null, options, names, cancellationToken);
            baseBranches?.MarkTaken(variantBefore!.Root);
            headBranches?.MarkTaken(variantAfter!.Root);

            var pairing = new MemberPairing();
            pairing.PairWithinFile(variantBefore?.Members ?? [], variantAfter?.Members ?? []);
            if (variantBefore is null && variantAfter is not null)
            {
                pairing.MarkUnpairable(variantAfter.Members);
            }

            // Only findings inside an inactive branch are kept: a pair neither of whose versions reaches into one gives
            // none, and is not walked again.
            var pairs = pairing.Finish();
            var kept = new List<(MemberVersion? Before, MemberVersion? After)>();
            foreach (var (b, a) in pairs)
            {
                if (ReachesInactive(b, baseBranches) || ReachesInactive(a, headBranches))
                {
                    kept.Add((b, a));
                }
                else
                {
                    foreach (var member in new[] { b, a })
                    {
                        if (member is not null)
                        {
                            member.Analysed = false;
                        }
                    }
                }
            }

            WalkAndRelease(variantBefore, variantAfter, context, walk);

            var found = new FindingSink(sink.Options);
            foreach (var (b, a) in kept)
            {
                DiffFacts(b, a, found);
            }

            foreach (var finding in found.Findings)
            {
                var branch = (finding.Side == Side.Base ? baseBranches : headBranches)?.InactiveAt(finding.StartLine);
                if (branch is not null && reported.Add((finding.RuleId, finding.Side, finding.StartLine, finding.Message)))
                {
                    var rule = rules.First(r => r.Descriptor.Id == finding.RuleId).Descriptor;
                    sink.Add(rule, finding.Path, finding.Side, finding.StartLine, finding.EndLine,
                        $"{finding.Message} (in {branch.Label}, a branch inactive without symbols)", finding.Code, finding.Severity, cwes: finding.Cwes);
                }
            }
        }

        var left = (baseBranches?.Uncovered ?? []).Concat(headBranches?.Uncovered ?? []).Where(b => b.Condition is null || Positive(b.Condition)).Select(b => b.Label).Distinct().ToList();
        return left.Count == 0 ? null : $"#if branches not taken under max_symbol_sets {budget.SymbolSets} symbol sets ({string.Join(", ", left.Take(3))})";
    }

    /// <summary>
    /// Some branch the parse without symbols did not take may hold a change: it has a line outside the own text of every
    /// unchanged member (in a member the change touched, or outside all members), or its code, once taken, could reach
    /// beyond it (<see cref="ConditionalBranches.IsSelfContained"/>: a string or comment it opens would make the parse
    /// under symbols see other members than the one without). A self-contained branch wholly inside unchanged members is
    /// the same code on both sides, and the findings of a parse under symbols are kept only inside inactive branches, so
    /// that parse would find the same facts on both sides and report nothing: a file whose inactive branches are all such
    /// is not parsed again (and its untaken branches are no RB9001 either: they hold nothing of the change).
    /// </summary>
    private static bool InactiveCodeTouched(ParsedSide? side, ConditionalBranches? branches)
    {
        if (side is null || branches is null || branches.Inactive.Count == 0)
        {
            return false;
        }

        // Per line: 0 outside every member, 1 in an unchanged member's own text, 2 in a changed member's.
        var lines = side.Root.SyntaxTree.GetText().Lines;
        var state = new byte[lines.Count + 2];
        foreach (var member in side.Members)
        {
            if (member.Kind == MemberKind.File)
            {
                continue;
            }

            var mark = member.Analysed ? (byte)2 : (byte)1;
            foreach (var span in member.OwnText)
            {
                var (first, last) = MemberVersion.Lines(member.Text, span);
                for (var line = first; line <= last; line++)
                {
                    state[line] = Math.Max(state[line], mark);
                }
            }
        }

        foreach (var branch in branches.Inactive)
        {
            for (var line = branch.FirstLine; line <= Math.Min(branch.LastLine, lines.Count); line++)
            {
                if (state[line] != 1)
                {
                    return true;
                }
            }

            if (!branches.IsSelfContained(branch))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Some line of the member's own text lies in a branch the parse without symbols did not take.</summary>
    private static bool ReachesInactive(MemberVersion? member, ConditionalBranches? branches)
    {
        if (member is null || branches is null)
        {
            return false;
        }

        if (member.Kind is MemberKind.File or MemberKind.AssemblyAttributes)
        {
            // The file's facts are the directives outside members, placed anywhere in it; a directive among the assembly
            // attributes is the attributes member's only while that member is walked (else it falls to the file's and
            // could cancel a finding of the other side). Both are cheap.
            return true;
        }

        foreach (var span in member.OwnText)
        {
            var (first, last) = MemberVersion.Lines(member.Text, span);
            if (branches.Inactive.Any(b => b.FirstLine <= last && first <= b.LastLine))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A condition some symbol set can make true as far as a quick look tells: it names a symbol (<c>#if false</c> never compiles).</summary>
    private static bool Positive(ExpressionSyntax condition) => condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any();

    /// <summary>
    /// The side indexed afresh under <paramref name="options"/>' symbols. A side without <c>#if</c>
    /// (<paramref name="conditional"/> false) parses to the same tree under any symbols (they decide nothing else), so its
    /// tree is indexed again rather than parsed again; one whose <c>#if</c> all lie in members or in its usings has only
    /// those parsed again (<see cref="MemberwiseReparse"/>; the full walk, the reference the tests compare with, parses
    /// the whole file).
    /// </summary>
    private ParsedSide Reparse(ParsedSide side, bool conditional, CSharpParseOptions options, NameResolution names, CancellationToken cancellationToken)
    {
        var path = side.Side == Side.Base ? side.File.BasePath! : side.File.HeadPath!;
        if (!conditional)
        {
            return Index(side.File, path, side.Side, side.Source, side.Root.SyntaxTree.GetText(cancellationToken), side.Root, names, side.Project);
        }

        var parseOptions = FileBasedApp.Is(side.Source) ? FileBasedApp.ParseOptions.WithPreprocessorSymbols(options.PreprocessorSymbolNames) : options;
        var text = side.Root.SyntaxTree.GetText(cancellationToken);
        var root = (!fullWalk ? MemberwiseReparse.Of(side.Root, side.Source, parseOptions, cancellationToken) : null)
            ?? (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(text, parseOptions, side.Root.SyntaxTree.FilePath, cancellationToken).GetRoot(cancellationToken);
        return Index(side.File, path, side.Side, side.Source, text, root, names, side.Project);
    }

    private const int MaxParseErrorsCounted = 100;

    /// <summary>Roslyn's "expression too long or complex" error: the parser hit its own stack guard and dropped the rest.</summary>
    private const string InsufficientStack = "CS8078";

    /// <summary>
    /// Generated code is analysed like any other; its findings are shown one severity lower when the file was generated
    /// before the change too (or is new, or deleted): a marker or generated path that the change puts on a hand-written
    /// file does not lower anything. <c>include_generated: true</c> keeps full severity for all generated code.
    /// </summary>
    private static void ClassifyGenerated(
        ChangedFile file, ParsedSide? before, ParsedSide? after, RiskOptions options, List<AnalysisNote> notes, HashSet<string> generated, HashSet<string> lowered)
    {
        var current = after ?? before!;
        if (!current.Generated)
        {
            return;
        }

        // Generated status is trusted only where the base already had it (code a tool regenerates): a file the change
        // adds, or a hand-written file it marks, is the change author's word about itself.
        if (after is not null && before is not { Generated: true })
        {
            notes.Add(new AnalysisNote(file.Path, before is null
                ? "generated-code marker or path on a file this change adds: analysed at full severity"
                : "generated-code marker or path added to a hand-written file: analysed at full severity"));
            return;
        }

        generated.Add(file.Path);
        if (options.IncludeGenerated)
        {
            notes.Add(new AnalysisNote(file.Path, "generated code: analysed at full severity (include_generated: true)"));
            return;
        }

        lowered.Add(file.Path);
        lowered.UnionWith(new[] { file.BasePath, file.HeadPath }.OfType<string>());
        notes.Add(new AnalysisNote(file.Path, "generated code: analysed, its findings shown one severity lower"));
    }

    private static Finding Lower(Finding finding) => finding with
    {
        Severity = finding.Severity == Severity.Info ? Severity.Info : finding.Severity - 1,
        Message = finding.Message + " (generated code: one severity lower)",
    };

    /// <summary>Members of a file whose analysis stopped part way: their facts are incomplete, so no pair of them is judged.</summary>
    private static void Discard(ParsedSide? before, ParsedSide? after)
    {
        foreach (var member in (before?.Members ?? []).Concat(after?.Members ?? []))
        {
            member.Discarded = true;
        }
    }

    private static readonly NotAnalysableRule NotAnalysable = new();

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

    /// <summary>
    /// Walks both sides of a file, the head first: a base version paired with a head version is then searched only for
    /// what can still show in a finding (see <see cref="SearchedRules"/>).
    /// </summary>
    private void WalkAndRelease(ParsedSide? before, ParsedSide? after, SyntaxContext context, WalkBuffers walk)
    {
        foreach (var side in new[] { after, before })
        {
            if (side is null)
            {
                continue;
            }

            Walk(side, context, walk);
            Release(side);
        }
    }

    /// <summary>Walk of the analysed members of one side, and its directives; iterative throughout. Only <see cref="WalkAndRelease"/> calls it (a base side after its head side).</summary>
    private void Walk(ParsedSide side, SyntaxContext context, WalkBuffers walk)
    {
        using var names = TypeAliases.Enter(side.Aliases);
        context.IsEntryPointFile = side.IsEntryPoint;
        walk.EveryNode = fullWalk || side.AliasesHideTriggers;
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

                if (walk.EveryNode || HidesTriggers(side.Source.AsSpan(root.Span.Start, root.Span.Length)))
                {
                    // A trigger the text search cannot see (aliases, escapes, formatting characters): walk every node.
                    foreach (var node in root.DescendantNodesAndSelf())
                    {
                        Visit(walk, node, member, context, ulong.MaxValue);
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

        // Directives are trivia: each belongs to the member whose token carries it, or to the file. One in a branch this
        // parse does not take (Roslyn keeps it, inactive) is judged by the parse under the symbols that take it, and
        // named after its branch there; in a branch no build takes (#if false) it is no change anyone can ship.
        foreach (var directive in ConditionalBranches.Directives(side.Root))
        {
            if (!directive.IsActive || walk.Tables.ByKind[directive.RawKind] is not { } rules)
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
    private static void Visit(WalkBuffers walk, SyntaxNode node, MemberVersion member, SyntaxContext context, ulong shownTo)
    {
        walk.Count();
        var tables = walk.Tables;
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

        if ((shownTo & tables.ReflectionBit) != 0 && context.Site is null && ReflectedApi.StandIn(node) is { } standIn)
        {
            // Judged as the API it names: every rule sees the stand-in's nodes, and reports on the real call.
            context.Site = node;
            try
            {
                foreach (var part in standIn.DescendantNodesAndSelf())
                {
                    walk.Count();
                    foreach (var rule in tables.ByKind[part.RawKind] ?? [])
                    {
                        rule.Inspect(part, context);
                    }
                }
            }
            finally
            {
                context.Site = null;
            }
        }

        if ((shownTo & tables.HelperCallsBit) != 0 && context.Site is null && !member.IsTestFile && HelperCalls.IsSource(node))
        {
            InspectHelperCalls(walk, node, context);
        }
    }

    /// <summary>
    /// A method of the file judged as a call in <paramref name="node"/> runs it: the rules that judge sinks by the flow pass
    /// see its nodes, and tainted data at a sink there is reported on the call. As in the walk of a member, only the nodes
    /// that contain an occurrence of one of those rules' triggers are shown (each rule reports only on nodes holding one of
    /// its triggers), unless the method's text could hide a trigger from the search. (A method of its own: the lambda's
    /// closure would otherwise be allocated on every visit.)
    /// </summary>
    private static void InspectHelperCalls(WalkBuffers walk, SyntaxNode node, SyntaxContext context)
    {
        HelperCalls.Inspect(node, context, (site, source) => walk.Tables.FlowSinkHolders(site, source, walk.EveryNode), callee =>
        {
            var text = context.Member.Source.AsSpan(callee.Span.Start, callee.Span.Length);
            if (walk.EveryNode || HidesTriggers(text))
            {
                foreach (var part in callee.DescendantNodesAndSelf())
                {
                    ShowToFlowRules(walk, part, context);
                }

                return;
            }

            var occurrences = new List<int>();
            for (var at = text.IndexOfAny(walk.Tables.FlowSinkTriggers); at >= 0; at = NextAt(text, at, walk.Tables.FlowSinkTriggers))
            {
                occurrences.Add(callee.Span.Start + at);
            }

            ShowAround(walk, callee, context, occurrences);
        });

        static int NextAt(ReadOnlySpan<char> text, int at, SearchValues<string> triggers)
            => text[(at + 1)..].IndexOfAny(triggers) is var next and >= 0 ? at + 1 + next : -1;
    }

    /// <summary>Shows <paramref name="node"/>, then, in document order, each descendant that contains one of <paramref name="occurrences"/> (sorted positions inside it).</summary>
    private static void ShowAround(WalkBuffers walk, SyntaxNode node, SyntaxContext context, List<int> occurrences)
    {
        ShowToFlowRules(walk, node, context);
        foreach (var child in node.ChildNodes())
        {
            var first = occurrences.BinarySearch(child.Span.Start);
            first = first < 0 ? ~first : first;
            if (first < occurrences.Count && occurrences[first] < child.Span.End)
            {
                ShowAround(walk, child, context, occurrences);
            }
        }
    }

    private static void ShowToFlowRules(WalkBuffers walk, SyntaxNode node, SyntaxContext context)
    {
        walk.Count();
        foreach (var rule in walk.Tables.FlowByKind[node.RawKind] ?? [])
        {
            rule.Inspect(node, context);
        }
    }

    /// <summary>
    /// Escapes (\u in a name, \u or \x in a literal: "\x2A" is "*") and invisible formatting characters (a soft hyphen,
    /// a zero-width space, which identifiers may contain and names ignore) in <paramref name="text"/> can hide a trigger
    /// from a text search.
    /// </summary>
    private static bool HidesTriggers(ReadOnlySpan<char> text)
        => text.ContainsAny(CharacterEscapes) || (text.ContainsAnyExceptInRange('\0', '\x7f') && text.ContainsAny(Dispatch.FormatCharacters));

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
        walk.RangeBuilt = false;

        // One pass over the characters with a table of the first two characters (modulo 128) of rule triggers and decision
        // tokens together; each candidate is then told apart. The texts start at a third of all positions (most capitals
        // begin a trigger), so a vectorised search for first characters stopped every few characters and cost more than
        // this loop; a multi-string search over all texts at once (Aho-Corasick for this many) took three times as long.
        var tables = walk.Tables;
        var searched = SearchedRules(member, tables);
        var search = SearchFor(member, searched, walk);
        var (oneCharacter, mayStart, decisions) = (search.OneCharacter, search.MayStart, search.Decisions);
        var hasSwitch = text.IndexOf("switch", StringComparison.Ordinal) >= 0;
        var end = text.Length - 1;
        for (var at = 0; at <= end; at++)
        {
            if (!oneCharacter[text[at] % TriggerSearch.Ascii] && (at == end || !mayStart[TriggerSearch.StartOf(text[at..])]))
            {
                continue;
            }

            var rules = search.RulesAt(text[at..]) & searched;
            if (rules != 0 || (decisions && IsDecisionToken(text, at, hasSwitch)))
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
        var lastToken = default(TextSpan); // the full span of the previous occurrence's token
        foreach (var hit in hits)
        {
            var position = hit.Position;
            if (lastToken.Contains(position))
            {
                continue; // another occurrence in the same token (or its trivia): its nodes are visited already
            }

            // The lowest visited node that contains the occurrence; the root when none is visited yet.
            var from = last;
            while (from is not null && from != root && !from.FullSpan.Contains(position))
            {
                from = from.Parent;
            }

            var token = (from ?? root).FindToken(position);
            lastToken = token.FullSpan;
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
                // FullSpan, not Span: a node's Span descends to its first token (linear in the depth of a left-deep chain),
                // FullSpan is stored. An occurrence in the node's own leading or trailing trivia only shows it to one more rule.
                Visit(walk, path[i], member, context, RulesWithin(walk, path[i].FullSpan));
            }

            last = parent;
        }
    }

    /// <summary>
    /// Bits of the rules whose triggers are searched in <paramref name="member"/>. Rules that report nothing in test code
    /// are left out in test files, and so are calls of the file's methods (test data is the test's own). A head version no base version can be paired with loses nothing: removal-only rules
    /// are left out. A base version paired within its file, walked after its head version, shows in a finding only through
    /// what it lost (removal rules) or by cancelling what the head version introduced (the rules the head reported): the
    /// other rules' facts there would be compared with nothing. Constant-named reflection stays, since any of those facts
    /// may come through it; calls of the file's methods stay when the head version reported a fact through one.
    /// </summary>
    private static ulong SearchedRules(MemberVersion member, Dispatch tables)
    {
        var rules = member.IsTestFile ? tables.InTestsBits : ulong.MaxValue;
        if (member.Unpairable)
        {
            return rules & ~tables.RemovalOnlyBits;
        }

        if (member.HeadVersion is not { } head)
        {
            return rules;
        }

        var shown = tables.RemovalBits | tables.ReflectionBit;
        foreach (var fact in head.Facts)
        {
            if (fact.Polarity == FactPolarity.Introduced)
            {
                shown |= tables.BitsById.GetValueOrDefault(fact.Rule.Descriptor.Id, ulong.MaxValue) | (fact.ThroughCall ? tables.HelperCallsBit : 0);
            }
        }

        return rules & shown;
    }

    /// <summary>
    /// The table <paramref name="member"/> is searched with: the smallest that holds the triggers of the rules
    /// <paramref name="searched"/> names, and the decision tokens if its complexity can show. Complexity shows only in
    /// RB8001: never for test code (nor for a base version in test code, whose code is new to the product), and for a base
    /// version only when its head version reaches the threshold (RB8001 reports complexity that crossed it); a base
    /// version paired within its file is walked after its head version.
    /// </summary>
    private static TriggerSearch SearchFor(MemberVersion member, ulong searched, WalkBuffers walk)
    {
        var tables = walk.Tables;
        if (member.IsTestFile)
        {
            return tables.InTestFiles;
        }

        return member.HeadVersion is { } head && head.Complexity < walk.ComplexityThreshold
            && (searched & ~(tables.RemovalBits | tables.ReflectionBit)) == 0
            ? tables.RemovalsAndReflection
            : tables.Everywhere;
    }

    /// <summary>
    /// Where the texts one walk searches for may start, and which rules' triggers start where: a table of their first two
    /// characters (modulo 128) and one of the one-character texts. <see cref="RulesAt"/> tells a candidate position apart.
    /// </summary>
    private sealed class TriggerSearch
    {
        public const int Ascii = 128;

        public TriggerSearch(IEnumerable<(string Trigger, ulong Bit)> triggers, bool decisions)
        {
            Decisions = decisions;
            var byStart = new Dictionary<int, Dictionary<string, ulong>>();
            foreach (var (trigger, triggerBit) in triggers)
            {
                var start = trigger.Length == 1 ? -1 - (trigger[0] % Ascii) : StartOf(trigger);
                var same = byStart.TryGetValue(start, out var d) ? d : byStart[start] = new Dictionary<string, ulong>(StringComparer.Ordinal);
                same[trigger] = same.GetValueOrDefault(trigger) | triggerBit;
            }

            foreach (var (start, same) in byStart)
            {
                var candidates = same.Select(x => (x.Key, x.Value)).ToArray();
                if (start < 0)
                {
                    oneCharacterTriggers[-1 - start] = candidates;
                }
                else
                {
                    triggersByStart[start] = candidates;
                }
            }

            foreach (var value in byStart.Values.SelectMany(same => same.Keys).Concat(decisions ? [.. DecisionWords, .. DecisionPunctuation] : []))
            {
                if (value.Length == 1)
                {
                    OneCharacter[value[0] % Ascii] = true;
                }
                else
                {
                    MayStart[StartOf(value)] = true;
                }
            }
        }

        /// <summary>Decision tokens are searched too (complexity is counted).</summary>
        public bool Decisions { get; }

        /// <summary>
        /// Pairs of first characters (modulo 128, see <see cref="StartOf"/>) of the searched texts of two or more characters:
        /// a cheap filter of where one may start (none is missed; a position it lets through is told apart by the caller).
        /// </summary>
        public bool[] MayStart { get; } = new bool[Ascii * Ascii];

        /// <summary>First characters (modulo 128) of the searched texts of one character.</summary>
        public bool[] OneCharacter { get; } = new bool[Ascii];

        /// <summary>Triggers of two or more characters by their first two (<see cref="StartOf"/>).</summary>
        private readonly (string Trigger, ulong Rules)[]?[] triggersByStart = new (string, ulong)[]?[Ascii * Ascii];

        /// <summary>Triggers of one character, by it (modulo 128).</summary>
        private readonly (string Trigger, ulong Rules)[]?[] oneCharacterTriggers = new (string, ulong)[]?[Ascii];

        /// <summary>The first two characters of a text (of two or more), each modulo 128: an index into <see cref="MayStart"/>.</summary>
        public static int StartOf(ReadOnlySpan<char> text) => (text[0] % Ascii * Ascii) + (text[1] % Ascii);

        /// <summary>Bits of the rules with a trigger starting at the beginning of <paramref name="text"/>.</summary>
        public ulong RulesAt(ReadOnlySpan<char> text)
        {
            var rules = 0UL;
            foreach (var (trigger, bits) in oneCharacterTriggers[text[0] % Ascii] ?? [])
            {
                if (text[0] == trigger[0])
                {
                    rules |= bits;
                }
            }

            if (text.Length > 1)
            {
                foreach (var (trigger, bits) in triggersByStart[StartOf(text)] ?? [])
                {
                    if (text.StartsWith(trigger, StringComparison.Ordinal))
                    {
                        rules |= bits;
                    }
                }
            }

            return rules;
        }
    }

    /// <summary>Bits of the rules with a trigger occurrence inside <paramref name="span"/> (hits are sorted by position).</summary>
    private static ulong RulesWithin(WalkBuffers walk, TextSpan span)
    {
        var hits = walk.Hits;
        var lo = FirstAtOrAfter(hits, span.Start);
        var hi = FirstAtOrAfter(hits, span.End);
        if (hi - lo <= 32)
        {
            var rules = 0UL;
            for (var i = lo; i < hi; i++)
            {
                rules |= hits[i].Rules;
            }

            return rules;
        }

        // Many occurrences inside: a range query, so that nested nodes over long chains stay linear overall.
        if (!walk.RangeBuilt)
        {
            walk.Masks.Clear();
            foreach (var hit in hits)
            {
                walk.Masks.Add(hit.Rules);
            }

            walk.Range.Build(walk.Masks);
            walk.RangeBuilt = true;
        }

        return walk.Range.Query(lo, hi);
    }

    /// <summary>Index of the first hit at or after <paramref name="position"/> (binary search).</summary>
    private static int FirstAtOrAfter(List<Hit> hits, int position)
    {
        var lo = 0;
        var hi = hits.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (hits[mid].Position < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
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
                fact.Severity, cwes: fact.Cwes);
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

    /// <param name="Aliases">What the file's <c>using</c> aliases and static usings make names mean (null: nothing).</param>
    /// <param name="AliasesHideTriggers">An alias names a type a rule looks for: the text search cannot see it, so every node is walked.</param>
    private sealed record ParsedSide(
        ChangedFile File, Side Side, CompilationUnitSyntax Root, string Source, List<MemberVersion> Members, bool IsEntryPoint, bool Generated,
        TypeAliases? Aliases, bool AliasesHideTriggers, ProjectKind Project);

    /// <summary>The change's <c>global using</c> aliases, and which names are rule triggers.</summary>
    private sealed record NameResolution(IReadOnlyDictionary<string, string> GlobalAliases, Func<string, bool> IsTrigger);

    /// <summary><c>global using</c> aliases declared by the head side of the change's C# files (a cheap byte search first).</summary>
    private static Dictionary<string, string> GlobalAliases(Dictionary<FileRequest, FileContent> contents)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (request, content) in contents)
        {
            var bytes = content.Bytes.Span;
            if (request.Side == Side.Head && PathRules.IsCSharp(request.Path) && (bytes.IndexOf("global"u8) >= 0 || bytes.IndexOf((byte)0) >= 0))
            {
                TypeAliases.AddGlobalAliases(SourceDecoder.Decode(bytes, out _), aliases);
            }
        }

        return aliases;
    }

    /// <summary>Some rule's trigger occurs in <paramref name="name"/>.</summary>
    private bool IsTriggerName(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (Tables.Everywhere.RulesAt(name.AsSpan(i)) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An occurrence of a trigger (rule bits) or of a decision token (no bits) at a source position.</summary>
    private readonly record struct Hit(int Position, ulong Rules) : IComparable<Hit>
    {
        public int CompareTo(Hit other) => Position.CompareTo(other.Position);
    }

    /// <summary>Scratch lists of one analysis (the analyzer itself is shared between concurrent analyses).</summary>
    private sealed class WalkBuffers(Dispatch tables, AnalysisBudget budget, double complexityThreshold)
    {
        private long fileNodes;
        private long changeNodes;

        public Dispatch Tables { get; } = tables;

        /// <summary>The <c>complexity</c> threshold RB8001 reports at.</summary>
        public double ComplexityThreshold { get; } = complexityThreshold;

        public CancellationToken Cancellation { get; set; }

        /// <summary>The side walked now is walked node by node (the full walk, or aliases that hide triggers from the text search).</summary>
        public bool EveryNode { get; set; }

        public void StartFile() => fileNodes = 0;

        /// <summary>Counts one visited node against the file's and the evaluation's budgets (and looks at the backstop now and then).</summary>
        public void Count()
        {
            if (++fileNodes > budget.FileNodes)
            {
                throw new BudgetExceededException($"nodes visited (more than max_file_nodes {budget.FileNodes} in this file)", evaluation: false);
            }

            if (++changeNodes > budget.ChangeNodes)
            {
                throw new BudgetExceededException($"nodes visited (more than max_change_nodes {budget.ChangeNodes} in this change)", evaluation: true);
            }

            if ((changeNodes & 0xFFF) == 0)
            {
                Cancellation.ThrowIfCancellationRequested();
            }
        }

        public List<Hit> Hits { get; } = [];

        /// <summary>Rule bits of <see cref="Hits"/>, for <see cref="Range"/>.</summary>
        public List<ulong> Masks { get; } = [];

        public RangeOr Range { get; } = new();

        /// <summary><see cref="Range"/> holds the current root's hits.</summary>
        public bool RangeBuilt { get; set; }

        public List<SyntaxNode> Path { get; } = [];
    }
}
