using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// The analyzer visits only the nodes around rule triggers and decision tokens. These tests hold it to the
/// reference it replaces, a visit of every node: the same findings, lines, messages and complexities, on every
/// rule case, the vulnerable sample and this repository's own sources.
/// </summary>
public sealed class GuidedWalkTests
{
    /// <summary>Complexity threshold 1: every walked member reports its complexity, so complexities are compared too.</summary>
    private static readonly RiskOptions EveryComplexity = RiskOptions.Default with
    {
        Thresholds = new Dictionary<string, double> { ["complexity"] = 1 },
    };

    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public async Task Rule_cases_give_what_a_visit_of_every_node_gives(string id)
    {
        var files = RuleCases.Get(id).Files;
        await AssertSameAsync(RiskTestKit.Snapshot(files), RiskOptions.Default);
        await AssertSameAsync(RiskTestKit.Snapshot(files), EveryComplexity);
    }

    [Fact]
    public async Task This_repository_added_removed_and_crossed_gives_what_a_visit_of_every_node_gives()
    {
        var sources = RepositorySources();
        Assert.True(sources.Count > 200, $"only {sources.Count} C# files found under {TestPaths.RepoRoot}");

        // Every file new: every member of every file is walked.
        var added = sources.Select(s => new TestFile(s.Path, null, s.Text)).ToArray();
        var report = await AssertSameAsync(RiskTestKit.Snapshot(added), EveryComplexity);
        Assert.Contains(report.Findings, f => f.RuleId == "RB8001");

        // Every file removed, and every file replaced by the next one under the same path: members that share
        // a name (constructors, Dispose, Run, ...) are paired and compared both ways, removed facts included.
        var removed = sources.Select(s => new TestFile(s.Path, s.Text, null)).ToArray();
        await AssertSameAsync(RiskTestKit.Snapshot(removed), RiskOptions.Default);
        var crossed = sources.Select((s, i) => new TestFile(s.Path, s.Text, sources[(i + 1) % sources.Count].Text)).ToArray();
        await AssertSameAsync(RiskTestKit.Snapshot(crossed), EveryComplexity);
    }

    [Fact]
    public async Task A_name_spelled_with_unicode_escapes_is_still_seen()
    {
        // \u0065 is 'e', \u0061 is 'a': the text never says "Process" or "Start", the identifiers do.
        var head = """
            using System.Diagnostics;

            public sealed class Runner
            {
                public void Run(string command)
                {
                    Proc\u0065ss.St\u0061rt(command);
                }
            }
            """;
        var snapshot = RiskTestKit.Snapshot(new TestFile("src/Runner.cs", null, head));
        var report = await AssertSameAsync(snapshot, RiskOptions.Default);
        Assert.Contains(report.Findings, f => f.RuleId == "RB3002" && f.StartLine == 7);
    }

    [Fact]
    public void Every_syntax_rule_names_its_triggers()
    {
        foreach (var rule in RiskRuleCatalog.Rules.OfType<ISyntaxRule>())
        {
            Assert.True(rule.Triggers.Count > 0, $"{rule.Descriptor.Id} has no triggers");
            Assert.All(rule.Triggers, t => Assert.False(string.IsNullOrWhiteSpace(t), $"{rule.Descriptor.Id} has a blank trigger"));
        }
    }

    /// <summary>
    /// Small samples, each named after what it probes: decision points written without spaces or in unusual places,
    /// names in attributes, type headers, accessors, top-level statements and assembly attributes, verbatim
    /// identifiers and escaped literals. Each is compared added (complexities too), removed and changed.
    /// </summary>
    public static TheoryData<string, string> Samples() => new()
    {
        { "number_then_or", "class C { bool M(int x) => x is 1or 2; bool N(int x) => x is >0and <9; bool O(long x) => x is 1Lor 2L; bool P(int x) => x is 0xfor 2; }" },
        { "bom_before_keywords", "class C { void M(bool b, int x) { \uFEFFif (b) { } \uFEFFwhile (x > 0) x--; switch (x) { \uFEFFcase 1: break; } } }" },
        { "soft_hyphen_in_name", "using System.Diagnostics; class C { void M(string c) { Process.Sta\u00ADrt(c); } }" },
        { "zero_width_space_in_name", "using System.Diagnostics; class C { void M(string c) { Process.Sta\u200Brt(c); } }" },
        { "soft_hyphen_in_attribute", "class C { [Allow\u00ADAnonymous] void M() { } }" },
        { "word_joiner_in_type", "class C { object M() => new BinaryForm\u2060atter(); }" },
        { "bom_after_if", "class C { void M(bool b) { if\uFEFF(b) { } } }" },
        { "shy_in_if", "class C { void M(bool b) { i\u00ADf (b) { } } }" },
        { "else_if", "class C { int M(int x) { if(x>1){return 1;}else if(x<0){return 2;} do{x--;}while(x>0); for(;;){} foreach(var c in \"ab\"){} return 0; } }" },
        { "catch_when", "class C { void M() { try{}catch(System.Exception e)when(e is null){} try{}catch{} } }" },
        { "cond_access", "class C { string? M(string? s, object? o) { o ??= s; return s?.Trim()?.ToString() ?? \"\"; } }" },
        { "switch_expr", "class C { int M(object o) => o switch { int i when i > 0 => 1, string or null => 2, not (1 or 2) and var x => 3, _ => 0 }; }" },
        { "switch_stmt", "class C { int M(object o) { switch(o){case 1:case int i when i>3:break;default:break;} return 0; } }" },
        { "preproc", "class C { int M(bool b) {\n#if DEBUG\n if (b) return 1;\n#else\n if (!b) return 2;\n#endif\n return b ? 3 : 4; } }" },
        { "local_fn_lambda", "class C { void M() { async void L() { } System.Func<int,bool> f = x => x > 1 && x < 3 || x == 9; } }" },
        { "top_level", "if (args.Length > 0) System.Environment.Exit(1); var r = new System.Random(); var token = r.Next();" },
        { "assembly_attr", "[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage(\"Security\", \"CA5350\")]\nclass C { }" },
        { "type_header", "[System.Diagnostics.CodeAnalysis.SuppressMessageAttribute(\"a\", \"CA2100\")][Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute] class C(string password = \"hunter22x\") : System.Collections.Generic.List<int> where T : class { }" },
        { "verbatim_ids", "class C { void M(string c) { @Process.@Start(c); var h = @MD5.@Create(); } }" },
        { "shy_in_or", "class C { bool M(int x) => x is 1 o\u00ADr 2; }" },
        { "shy_in_async", "class C { a\u00ADsync void M() { } }" },
        { "bom_in_async", "class C { async\uFEFF void M() { } }" },
        { "shy_in_and", "class C { bool M(int x) => x is > 1 an\u00ADd < 5; }" },
        { "accessors", "class C { string _p; string P { get => _p ?? \"x\"; set { if (value is null) throw new System.Exception(); _p = value; } } }" },
        { "indexer_op_event", "class C { int this[int i] => i > 0 ? 1 : 2; public static C operator +(C a, C b) => a ?? b; event System.Action E { add { if (value != null) { } } remove { } } }" },
        { "record_header", "record R(string ApiKey = \"abcdef1234\", bool B = true) { }" },
        { "return_param_attrs", "class FilesController { [return: System.Diagnostics.CodeAnalysis.SuppressMessage(\"a\", \"CA5350\")] string Get([FromQuery] string path) => System.IO.File.ReadAllText(path); }" },
        { "field_lambda_switch", "class C { static readonly System.Func<int,int> F = x => x switch { > 0 and < 5 => 1, _ => 0 }; }" },
        { "do_while_tight", "class C { void M(int x) { do{x++;}while(x<3); while(x>0)x--; } }" },
        { "tls_delegate", "class C { void M() { System.Net.ServicePointManager.ServerCertificateValidationCallback += delegate { return true; }; } }" },
        { "helper_plain", "class C { void M() { var q = System.Console.ReadLine(); Find(q); } void Find(string name) { using var cmd = new SqlCommand(); cmd.CommandText = \"select * from t where n = '\" + name + \"'\"; } }" },
        { "helper_escaped_sink", "class C { void M() { var q = System.Console.ReadLine(); Find(q); } void Find(string name) { using var cmd = new SqlCommand(); cmd.Command\\u0054ext = \"select * from t where n = '\" + name + \"'\"; } }" },
        { "interp_ternary", "class C { string M(bool b) => $\"{(b ? 1 : 2)}\" + $$\"\"\"{{(b?3:4)}}\"\"\"; }" },
        { "lock_interlocked", "class C { object g = new(); int n; void M() { lock (this) { } System.Threading.Interlocked.Increment(ref n); _gate.Wait(); } }" },
        { "catch_throw_ex", "class C { void M() { try { } catch (System.Exception ex) when (ex is not null) { throw ex; } } }" },
        { "escapes_lit", "class C { void M(Builder b) { b.WithOrigins(\"\\x2A\"); b.Add(\"Access-Control-Allow-Origin\", '*'); } }" },
        { "raw_and_verbatim_star", "class C { void M(Builder b) { b.WithOrigins(\"\"\"\n    *\n    \"\"\"); b.Add(@\"Access-Control-Allow-Origin\", @\"*\"); } }" },
    };

    /// <summary>
    /// Rules that report nothing in test code (RB2006 skips it; RB4007's category is not judged there, see TestCode) are not
    /// searched for in test files; outside tests they are.
    /// </summary>
    [Fact]
    public async Task Rules_that_skip_test_code_are_not_searched_for_there()
    {
        var code = "class C\n{\n    void M()\n    {\n        var password = \"hunter2secret\";\n        System.Environment.Exit(1);\n    }\n}\n";
        var inTests = await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("tests/CTests.cs", null, code)), RiskOptions.Default);
        Assert.DoesNotContain(inTests.Findings, f => f.RuleId is "RB2006" or "RB4007");

        var inSource = await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/C.cs", null, code)), RiskOptions.Default);
        Assert.Contains(inSource.Findings, f => f.RuleId == "RB2006");
        Assert.Contains(inSource.Findings, f => f.RuleId == "RB4007");
    }

    /// <summary>RB1004 looks for a literal "*", not for every literal: each way of writing one is still seen.</summary>
    [Theory]
    [InlineData("\"*\"")]
    [InlineData("@\"*\"")]
    [InlineData("\"\"\"*\"\"\"")]
    [InlineData("\"\"\"\n        *\n        \"\"\"")]
    [InlineData("\"\\x2A\"")]
    [InlineData("\"\\u002A\"")]
    public async Task A_star_origin_is_seen_however_the_literal_is_written(string star)
    {
        var code = "class Startup\n{\n    void Configure(Builder b, Response r)\n    {\n        b.WithOrigins(" + star + ");\n        r.Headers.Add(\"Access-Control-Allow-Origin\", " + star + ");\n    }\n}\n";
        var report = await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Startup.cs", null, code)), RiskOptions.Default);
        Assert.Equal(2, report.Findings.Count(f => f.RuleId == "RB1004"));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Samples_give_what_a_visit_of_every_node_gives(string probe, string code)
    {
        Assert.False(string.IsNullOrEmpty(probe));
        await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Probe.cs", null, code)), EveryComplexity);
        await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Probe.cs", code, null)), RiskOptions.Default);
        await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Probe.cs", "class C { }", code)), EveryComplexity);
        await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Probe.cs", code, "class C { }")), EveryComplexity);
    }

    /// <summary>
    /// More syntax rules than a 64-bit mask has bits (each catalog syntax rule twice more, as fresh instances): the
    /// rules share bits, and the guided walk must still show every rule every node a visit of every node shows it.
    /// </summary>
    [Fact]
    public async Task Past_63_syntax_rules_the_guided_walk_still_gives_what_a_visit_of_every_node_gives()
    {
        var syntaxRules = RiskRuleCatalog.Rules.OfType<ISyntaxRule>().ToList();
        IReadOnlyList<IRiskRule> many =
        [
            .. RiskRuleCatalog.Rules,
            .. syntaxRules.Select(r => (IRiskRule)Activator.CreateInstance(r.GetType())!),
            .. syntaxRules.Select(r => (IRiskRule)Activator.CreateInstance(r.GetType())!),
        ];
        Assert.True(many.OfType<ISyntaxRule>().Distinct().Count() > 64);

        foreach (var id in RuleCases.Ids.Select(row => (string)row[0]))
        {
            await AssertSameAsync(RiskTestKit.Snapshot(RuleCases.Get(id).Files), EveryComplexity, many);
        }
    }

    /// <summary>
    /// The walk finds occurrences by their first character and filters on the first two before telling them apart: a
    /// trigger that starts or continues with a character outside ASCII, a one-character trigger, and a trigger at the
    /// very end of a member's text must each still be found.
    /// </summary>
    [Fact]
    public async Task Triggers_outside_ascii_of_one_character_and_at_the_end_of_a_member_are_found()
    {
        var probe = new IdentifierProbeRule(["\u00E9t\u00E9", "a\u0101b", "\u4E2D", "Z", "Tail"]);
        var code = "class C { int \u00E9t\u00E9 = 1; int xa\u0101b = 2; int \u4E2D\u6587 = 3; int Z = 4; int M() => Tail; int Tail => 5; } class D : Z { }";
        var report = await AssertSameAsync(RiskTestKit.Snapshot(new TestFile("src/Probe.cs", null, code)), RiskOptions.Default, [probe]);

        // Each name holding a trigger is reported once, where it is declared or used (D's base list ends with "Z").
        Assert.Equal(["Tail", "Tail", "Z", "Z", "xa\u0101b", "\u00E9t\u00E9", "\u4E2D\u6587"], report.Findings.Where(f => f.RuleId == "RB9990").Select(f => f.Message).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The base version of a member paired within its file is searched only for the rules that report removals and those
    /// its head version reported, so a rule that reports a removal without saying so (<c>IRemovalRule</c>) would lose it
    /// there. The visit of every node refuses such a removal (the file becomes not analysable), so the comparisons above
    /// fail on any rule case of such a rule instead of the removal going missing.
    /// </summary>
    [Fact]
    public async Task A_removal_from_a_rule_that_does_not_say_it_reports_removals_is_refused()
    {
        var file = new TestFile("src/C.cs", "class C { void M() { Audit(); } }", "class C { void M() { } }");
        IReadOnlyList<IRiskRule> rules = [.. RiskRuleCatalog.Rules, new UndeclaredRemovalRule()];
        var full = await new RoslynRiskAnalyzer(TimeProvider.System, rules, fullWalk: true).AnalyzeAsync(RiskTestKit.Snapshot(file), RiskOptions.Default);
        var finding = Assert.Single(full.Findings);
        Assert.Equal("RB9001", finding.RuleId);
        Assert.Contains(nameof(InvalidOperationException), finding.Message, StringComparison.Ordinal);

        var guided = await new RoslynRiskAnalyzer(TimeProvider.System, rules, fullWalk: false).AnalyzeAsync(RiskTestKit.Snapshot(file), RiskOptions.Default);
        Assert.Empty(guided.Findings);
    }

    private sealed class UndeclaredRemovalRule : ISyntaxRule
    {
        public RuleDescriptor Descriptor { get; } = new("RB9991", RiskCategories.Reliability, Severity.Low, "Probe", "Calls to Audit removed.");

        public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

        public IReadOnlyList<string> Triggers { get; } = ["Audit"];

        public void Inspect(SyntaxNode node, SyntaxContext context) => context.Report(this, node, "Audit() removed", FactPolarity.Removed);
    }

    /// <summary>Reports every identifier (declared or used) whose name holds one of its triggers.</summary>
    private sealed class IdentifierProbeRule(IReadOnlyList<string> triggers) : ISyntaxRule
    {
        public RuleDescriptor Descriptor { get; } = new("RB9990", RiskCategories.Reliability, Severity.Low, "Probe", "Names holding a trigger.");

        public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.IdentifierName, SyntaxKind.VariableDeclarator, SyntaxKind.PropertyDeclaration];

        public IReadOnlyList<string> Triggers { get; } = triggers;

        public void Inspect(SyntaxNode node, SyntaxContext context)
        {
            var name = node switch
            {
                IdentifierNameSyntax id => id.Identifier.ValueText,
                VariableDeclaratorSyntax v => v.Identifier.ValueText,
                PropertyDeclarationSyntax p => p.Identifier.ValueText,
                _ => "",
            };
            if (Triggers.Any(t => name.Contains(t, StringComparison.Ordinal)))
            {
                context.Report(this, node, name);
            }
        }
    }

    private static async Task<RiskReport> AssertSameAsync(PullRequestSnapshot snapshot, RiskOptions options, IReadOnlyList<IRiskRule>? rules = null)
    {
        rules ??= RiskRuleCatalog.Rules;
        var guided = await new RoslynRiskAnalyzer(TimeProvider.System, rules, fullWalk: false).AnalyzeAsync(snapshot, options);
        var full = await new RoslynRiskAnalyzer(TimeProvider.System, rules, fullWalk: true).AnalyzeAsync(snapshot, options);
        var expected = full.Findings.Select(Show).ToList();
        var actual = guided.Findings.Select(Show).ToList();
        var missing = expected.Except(actual).Take(20).ToList();
        var extra = actual.Except(expected).Take(20).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"guided walk differs from the full walk ({expected.Count} vs {actual.Count} findings)\nmissing:\n  {string.Join("\n  ", missing)}\nextra:\n  {string.Join("\n  ", extra)}");
        Assert.Equal(full.Score, guided.Score);
        Assert.Equal(full.Level, guided.Level);
        Assert.Equal(full.Notes.Select(n => n.Path + ": " + n.Note), guided.Notes.Select(n => n.Path + ": " + n.Note));
        return guided;
    }

    private static string Show(Finding f)
        => $"{f.RuleId} {f.Severity} {f.Side} {f.Path}:{f.StartLine}-{f.EndLine} {f.Message} | {f.Code}";

    internal static List<(string Path, string Text)> RepositorySources()
    {
        var root = TestPaths.RepoRoot;
        return new[] { "src", "tests", "bench" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();
    }
}
