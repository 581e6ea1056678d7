using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// Every fact a syntax rule reports lies in the own text of the member whose walk reported it. The parse under
/// <c>#if</c> symbols relies on it: it walks only the members that reach into a branch the parse without symbols did not
/// take, and keeps only findings inside such branches, so a rule reporting on code outside the member it inspects
/// could have its finding dropped. Checked on every rule case and on this repository's sources, added, removed and
/// crossed (as <see cref="GuidedWalkTests"/> does for the walk).
/// </summary>
public sealed class FactPlacementTests
{
    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public async Task Rule_cases_report_inside_the_member_they_inspect(string id)
        => await AssertInsideAsync(RuleCases.Get(id).Files);

    [Fact]
    public async Task The_probe_sees_the_facts_of_compared_members()
    {
        var probe = await AssertInsideAsync(RuleCases.Ids.SelectMany(row => RuleCases.Get((string)row[0]).Files)
            .Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal)).Select((f, i) => f with { Path = $"case{i}/{f.Path}" }).ToArray());
        Assert.True(probe.Checked > 100, $"{probe.Checked} members compared");
        Assert.True(probe.Facts > 100, $"{probe.Facts} facts seen");
    }

    [Fact]
    public async Task This_repository_reports_inside_the_member_it_inspects()
    {
        var sources = GuidedWalkTests.RepositorySources();
        await AssertInsideAsync(sources.Select(s => new TestFile(s.Path, null, s.Text)).ToArray());
        await AssertInsideAsync(sources.Select((s, i) => new TestFile(s.Path, s.Text, sources[(i + 1) % sources.Count].Text)).ToArray());
    }

    private static async Task<PlacementProbe> AssertInsideAsync(IReadOnlyList<TestFile> files)
    {
        var probe = new PlacementProbe();
        var analyzer = new RoslynRiskAnalyzer(TimeProvider.System, [.. RiskRuleCatalog.Rules, probe]);
        await analyzer.AnalyzeAsync(RiskTestKit.Snapshot([.. files]), RiskOptions.Default);
        Assert.True(probe.Outside.Count == 0, "facts outside their member's own text:\n  " + string.Join("\n  ", probe.Outside.Take(20)));
        return probe;
    }

    /// <summary>A change rule that looks at every compared member's facts (it reports nothing).</summary>
    private sealed class PlacementProbe : IChangeRule
    {
        public RuleDescriptor Descriptor { get; } = new("RB9991", RiskCategories.Reliability, Severity.Low, "Probe", "Fact placement.");

        public int Checked { get; private set; }

        public int Facts { get; private set; }

        public List<string> Outside { get; } = [];

        public void Inspect(ChangeContext context)
        {
            foreach (var member in context.ChangedMembers.SelectMany(p => new[] { p.Before, p.After }).OfType<MemberVersion>())
            {
                if (member.Kind == MemberKind.File)
                {
                    continue; // directives outside every member: the file's, placed anywhere in it
                }

                Checked++;
                foreach (var fact in member.Facts)
                {
                    Facts++;
                    if (!member.OwnText.Any(own => Contains(own, fact.Span)))
                    {
                        Outside.Add($"{fact.Rule.Descriptor.Id} in {member.DisplayName} ({member.Path}, {member.Side}): {fact.Text}");
                    }
                }
            }
        }

        private static bool Contains(TextSpan own, TextSpan fact) => own.Start <= fact.Start && fact.End <= own.End;
    }
}
