using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

public sealed class RuleCaseTests
{
    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public async Task Rule_reports_exactly_the_marked_lines(string id)
    {
        var c = RuleCases.Get(id);
        var report = await RiskTestKit.AnalyzeAsync(c.Files);

        var actual = report.Findings.Where(f => f.RuleId == c.RuleId).Select(f => (f.Side, f.StartLine)).ToHashSet();
        var expected = c.Kind == CaseKind.Positive ? c.Expected?.ToHashSet() ?? RiskTestKit.MarkedLines(c.Files) : [];
        if (c.Kind == CaseKind.Positive)
        {
            Assert.NotEmpty(expected);
        }

        Assert.True(expected.SetEquals(actual),
            $"{c.Id}\nexpected: {Show(expected)}\nactual:   {Show(actual)}\nall findings:\n"
            + string.Join("\n", report.Findings.Select(f => $"  {f.RuleId} {f.Side} {f.Path}:{f.StartLine} {f.Message}"))
            + "\nnotes:\n" + string.Join("\n", report.Notes.Select(n => $"  {n.Path}: {n.Note}")));
    }

    [Fact]
    public void Every_rule_has_positive_negative_and_already_in_base_cases()
    {
        foreach (var rule in RiskRuleCatalog.Descriptors)
        {
            foreach (var kind in Enum.GetValues<CaseKind>())
            {
                Assert.True(RuleCases.All.Any(c => c.RuleId == rule.Id && c.Kind == kind), $"{rule.Id} has no {kind} case");
            }
        }
    }

    [Fact]
    public async Task Findings_carry_rule_metadata_and_code()
    {
        var c = RuleCases.All.First(x => x.RuleId == "RB2001" && x.Kind == CaseKind.Positive);
        var report = await RiskTestKit.AnalyzeAsync(c.Files);
        var finding = report.Findings.First(f => f.RuleId == "RB2001");
        Assert.Equal("crypto", finding.Category);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("TLS certificate validation disabled", finding.Title);
        Assert.Equal("Net/ClientFactory.cs", finding.Path);
        Assert.Contains("=> true", finding.Code);
        Assert.Equal(Side.Head, finding.Side);
    }

    private static string Show(IEnumerable<(Side Side, int Line)> lines)
        => string.Join(", ", lines.OrderBy(x => x.Side).ThenBy(x => x.Line).Select(x => $"{x.Side}:{x.Line}"));
}
