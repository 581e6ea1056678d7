using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// Parsing again under preprocessor symbols only the members and the header that hold <c>#if</c> chains gives the tree a
/// parse of the whole file gives, or nothing at all; and the analysis of inactive branches reports the same either way.
/// </summary>
public sealed class MemberwiseReparseTests
{
    private static readonly CSharpParseOptions UnderNet = RoslynRiskAnalyzer.ParseOptions.WithPreprocessorSymbols("NET");

    /// <summary>Files whose every chain lies in one member or in the usings: parsed part by part.</summary>
    public static TheoryData<string, string> PartByPart => new()
    {
        {
            "in a method body",
            """
            class C
            {
                int Field = 1;

                string Read(string name)
                {
            #if NET
                    return System.IO.File.ReadAllText(name);
            #else
                    return "";
            #endif
                }

                void Other() { }
            }
            """
        },
        {
            "among the usings, an alias among them",
            """
            using System;
            #if NET
            using Runner = System.Diagnostics.Process;
            #else
            using System.Text;
            #endif

            namespace Acme;

            class C { void M(string c) { Runner.Start(c); } }
            """
        },
        {
            "a branch that closes a parenthesis the other opens (balanced only with its sibling)",
            """
            class C
            {
                void M(string a, string b)
                {
                    Call(a,
            #if NET
                        b);
            #else
                        a);
            #endif
                }

                void Call(string x, string y) { }
            }
            """
        },
        {
            "nested chains in a property accessor and a field initializer",
            """
            class C
            {
                static readonly string[] Names =
                [
            #if NET
                    "net",
            #endif
                    "all",
                ];

                string P
                {
                    get
                    {
            #if NET
            #if DEBUG
                        return "a";
            #else
                        return "b";
            #endif
            #endif
                        return "c";
                    }
                }

                int Other => 1;
            }
            """
        },
    };

    /// <summary>Files a symbol can change outside one member or the header: parsed whole.</summary>
    public static TheoryData<string, string> Whole => new()
    {
        {
            "a chain around whole members",
            """
            class C
            {
            #if NET
                void Extra() { }
            #endif
                void M() { }
            }
            """
        },
        {
            "a chain across two members",
            """
            class C
            {
                void A()
                {
            #if NET
                }
                void B()
                {
            #endif
                }
            }
            """
        },
        {
            "a #define",
            """
            #define TRACE
            class C
            {
                void M()
                {
            #if NET
                    Go();
            #endif
                }
            }
            """
        },
        {
            "a chain in a type's base list",
            """
            class C :
            #if NET
                System.IDisposable,
            #endif
                object
            {
            }
            """
        },
        {
            "a header chain that adds a type",
            """
            using System;
            #if NET
            class Extra { }
            #endif
            class C { }
            """
        },
        {
            "a chain around the namespace",
            """
            #if NET
            namespace A;
            #else
            namespace B;
            #endif
            class C { }
            """
        },
        {
            "a chain in top-level statements",
            """
            #if NET
            System.Console.WriteLine("net");
            #endif
            System.Console.WriteLine("all");
            """
        },
    };

    [Theory]
    [MemberData(nameof(PartByPart))]
    public void A_file_whose_chains_lie_in_members_or_usings_is_parsed_part_by_part_into_the_whole_parse(string name, string code)
    {
        var root = Parse(code, RoslynRiskAnalyzer.ParseOptions);
        var reparsed = MemberwiseReparse.Of(root, code, UnderNet, CancellationToken.None);

        Assert.True(reparsed is not null, name);
        var whole = Parse(code, UnderNet);
        Assert.True(reparsed.IsEquivalentTo(whole, topLevel: false), name);
        Assert.Equal(whole.ToFullString(), reparsed.ToFullString());
        Assert.Equal(Directives(whole), Directives(reparsed));

        // The members without directives are the first parse's, not parsed again.
        var kept = root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => !m.ContainsDirectives && m is not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax).ToList();
        Assert.NotEmpty(kept);
        Assert.All(kept, m => Assert.Contains(reparsed.DescendantNodes().OfType<MemberDeclarationSyntax>(), r => r.IsIncrementallyIdenticalTo(m)));
    }

    [Theory]
    [MemberData(nameof(Whole))]
    public void A_file_a_symbol_can_change_outside_one_member_or_the_usings_is_left_to_a_whole_parse(string name, string code)
    {
        Assert.True(MemberwiseReparse.Of(Parse(code, RoslynRiskAnalyzer.ParseOptions), code, UnderNet, CancellationToken.None) is null, name);
    }

    [Fact]
    public void A_member_that_parses_into_more_than_itself_under_the_symbols_leaves_the_file_to_a_whole_parse()
    {
        // Under NET the first member's leading trivia holds a whole method: one member's text is two members.
        var code = """
            class C
            {
                void A() { }
            #if NET
                void Extra() { }
            #endif
                void B() { }
            }
            """;
        Assert.Null(MemberwiseReparse.Of(Parse(code, RoslynRiskAnalyzer.ParseOptions), code, UnderNet, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(PartByPart))]
    [MemberData(nameof(Whole))]
    public async Task The_inactive_branch_findings_are_those_of_a_whole_parse(string name, string code)
    {
        // The change adds a command run in the inactive branch of each sample.
        var head = code.Replace("#if NET\n", "#if NET\n        System.Diagnostics.Process.Start(System.Console.ReadLine());\n", StringComparison.Ordinal);
        var snapshot = RiskTestKit.Snapshot(new TestFile("src/C.cs", code, head));
        var guided = await new RoslynRiskAnalyzer(TimeProvider.System, RiskRuleCatalog.Rules, fullWalk: false).AnalyzeAsync(snapshot, RiskOptions.Default);
        var full = await new RoslynRiskAnalyzer(TimeProvider.System, RiskRuleCatalog.Rules, fullWalk: true).AnalyzeAsync(snapshot, RiskOptions.Default);

        Assert.True(full.Findings.Select(Show).SequenceEqual(guided.Findings.Select(Show)), name);
    }

    [Fact]
    public async Task A_command_run_added_in_a_methods_inactive_branch_is_found()
    {
        var before = """
            class C
            {
                void M()
                {
            #if NET
                    Log();
            #endif
                }

                void Log() { }
            }
            """;
        var after = before.Replace("        Log();\n", "        Log();\n        System.Diagnostics.Process.Start(System.Console.ReadLine());\n", StringComparison.Ordinal);
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(RiskTestKit.Snapshot(new TestFile("src/C.cs", before, after)), RiskOptions.Default);

        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB3002");
        Assert.Equal(7, finding.StartLine);
        Assert.Contains("#if NET", finding.Message, StringComparison.Ordinal);
    }

    private static CompilationUnitSyntax Parse(string code, CSharpParseOptions options)
        => (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, options).GetRoot();

    private static List<string> Directives(SyntaxNode root)
        => root.DescendantTrivia().Where(t => t.IsDirective).Select(t => (DirectiveTriviaSyntax)t.GetStructure()!)
            .Select(d => $"{d.Kind()} {d.SpanStart} active {d.IsActive} taken {(d as BranchingDirectiveTriviaSyntax)?.BranchTaken}").ToList();

    private static string Show(Finding f) => $"{f.RuleId} {f.Severity} {f.Side} {f.Path}:{f.StartLine} {f.Message}";
}
