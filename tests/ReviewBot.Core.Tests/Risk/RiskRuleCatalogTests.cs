using System.Text.RegularExpressions;
using ReviewBot.Core.Risk;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>The catalog, the rule types and docs/risk-rules.md agree.</summary>
public sealed partial class RiskRuleCatalogTests
{
    private static readonly Dictionary<char, string[]> CategoriesByGroup = new()
    {
        ['1'] = [RiskCategories.Authorization, RiskCategories.Web],
        ['2'] = [RiskCategories.Crypto, RiskCategories.Secrets],
        ['3'] = [RiskCategories.Injection, RiskCategories.Deserialization, RiskCategories.Xml, RiskCategories.Malicious],
        ['4'] = [RiskCategories.Memory, RiskCategories.Concurrency, RiskCategories.Reliability],
        ['5'] = [RiskCategories.Api],
        ['6'] = [RiskCategories.Suppression, RiskCategories.Tests],
        ['7'] = [RiskCategories.SupplyChain],
        ['8'] = [RiskCategories.Complexity, RiskCategories.Size],
        ['9'] = [RiskCategories.Analysis],
    };

    [Fact]
    public void Every_rule_type_is_in_the_catalog_once_with_a_well_formed_id()
    {
        var types = typeof(IRiskRule).Assembly.GetTypes()
            .Where(t => typeof(IRiskRule).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToList();
        Assert.All(types, t => Assert.True(t.IsSealed && t.Namespace == "ReviewBot.Core.Risk.Rules", $"{t.FullName} must be a sealed type in Risk/Rules"));
        Assert.Equal(types.Select(t => t.FullName).Order(), RiskRuleCatalog.Rules.Select(r => r.GetType().FullName).Order());

        var ids = RiskRuleCatalog.Descriptors.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        foreach (var d in RiskRuleCatalog.Descriptors)
        {
            Assert.Matches("^RB[1-9][0-9]{3}$", d.Id);
            Assert.Contains(d.Category, CategoriesByGroup[d.Id[2]]);
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            Assert.True(d.Description.Length > 40, $"{d.Id} needs a real description");
        }
    }

    [Fact]
    public void Each_rule_type_lives_in_its_own_file_named_after_it()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "src", "ReviewBot.Core", "Risk", "Rules");
        var files = Directory.GetFiles(dir, "*.cs").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        Assert.Equal(RiskRuleCatalog.Rules.Select(r => r.GetType().Name).Order(), files);
    }

    [Fact]
    public void Docs_list_every_rule_with_its_title_category_severity_and_examples()
    {
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "risk-rules.md"));
        var headings = Heading().Matches(docs).Select(m => (Id: m.Groups[1].Value, Title: m.Groups[2].Value.Trim())).ToList();
        Assert.Equal(RiskRuleCatalog.Descriptors.Select(d => (d.Id, d.Title)), headings);

        foreach (var d in RiskRuleCatalog.Descriptors)
        {
            var severity = d.Severity.ToString().ToLowerInvariant();
            Assert.Contains($"| {d.Id} | {d.Category} | {severity} | {d.Title} |", docs);
            var section = docs[docs.IndexOf($"### {d.Id} ", StringComparison.Ordinal)..];
            var next = section.IndexOf("\n### ", 5, StringComparison.Ordinal);
            section = next < 0 ? section : section[..next];
            Assert.Contains($"*{d.Category}, {severity}.*", section);
            Assert.Contains("Bad:", section);
            Assert.Contains("Good:", section);
            foreach (var cwe in d.Cwes)
            {
                Assert.Contains($"[CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html)", section);
            }
        }
    }

    [Fact]
    public void Every_security_rule_names_its_cwes_and_findings_carry_them()
    {
        string[] security = [RiskCategories.Authorization, RiskCategories.Web, RiskCategories.Crypto, RiskCategories.Secrets, RiskCategories.Injection,
            RiskCategories.Deserialization, RiskCategories.Xml, RiskCategories.Malicious];
        foreach (var d in RiskRuleCatalog.Descriptors.Where(d => security.Contains(d.Category)))
        {
            Assert.True(d.Cwes.Count > 0 && d.Cwes.All(c => c > 0), $"{d.Id} must name the CWE ids it finds");
        }

        var sink = new FindingSink(RiskOptions.Default);
        var sql = RiskRuleCatalog.Find("RB3001")!;
        sink.Add(sql, "a.cs", Core.Snapshot.Side.Head, 1, 1, "m");
        Assert.Equal([89], sink.Findings.Single().Cwes);
    }

    [Fact]
    public async Task A_finding_names_the_cwes_of_its_own_shape_when_the_rule_finds_several()
    {
        var file = new TestFile("Jobs/Import.cs", RuleCases.InMethod("        Load();"), RuleCases.InMethod(
            "        try { Load(); }\n        catch (Exception ex) { throw ex; }\n        try { Load(); }\n        catch (IOException io) { throw io; }\n"
            + "        var pw = File.ReadAllText(\"db.txt\");\n        var cred = new NetworkCredential(\"svc\", pw);\n        var cred2 = new NetworkCredential(\"svc\", \"s3cr3t-Pa55\");"));
        var report = await RiskTestKit.AnalyzeAsync(file);

        var rethrows = report.Findings.Where(f => f.RuleId == "RB4006").OrderBy(f => f.StartLine).ToList();
        Assert.Equal(2, rethrows.Count);
        Assert.Equal([396], rethrows[0].Cwes);
        Assert.Empty(rethrows[1].Cwes); // a rethrow acts on the failure: no error-without-action


        var secrets = report.Findings.Where(f => f.RuleId == "RB2006").OrderBy(f => f.StartLine).ToList();
        Assert.Equal(2, secrets.Count);
        Assert.Equal([256], secrets[0].Cwes);
        Assert.Equal([798, 259, 321], secrets[1].Cwes);
        Assert.All(report.Findings, f => Assert.Subset(RiskRuleCatalog.Find(f.RuleId)!.Cwes.ToHashSet(), f.Cwes.ToHashSet()));
    }

    [Fact]
    public void Docs_name_every_threshold_and_option_key()
    {
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "risk-rules.md"));
        foreach (var key in RiskThresholds.Defaults.Keys)
        {
            Assert.Contains($"`{key}`", docs);
        }

        foreach (var key in new[] { "disabled", "severities", "sensitive_paths", "thresholds", "include_generated" })
        {
            Assert.Contains($"| `{key}` |", docs);
        }
    }

    [GeneratedRegex(@"^### (RB\d{4}) — (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
