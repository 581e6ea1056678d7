using System.Text;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// What the precision study (docs/risk-accuracy.md) changed beyond single rule cases: test code and applications
/// are known as such, one cause gives one finding, version bumps are low, and maintainers can set findings aside
/// for paths from the base branch's rules file.
/// </summary>
public sealed class PrecisionTests
{
    private const string Controller = """
        namespace Shop.Web;

        public class OrdersController : ControllerBase
        {
            public OrdersController(IOrders orders) { }

            public IActionResult Get(int id) => Ok(id);
        }
        """;

    private static readonly string WidenedController = Controller
        .Replace("IOrders orders", "IOrders orders, ILogger log", StringComparison.Ordinal)
        .Replace("Get(int id)", "Get(long id)", StringComparison.Ordinal);

    private static Task<RiskReport> Analyze(IReadOnlyDictionary<string, string> unchanged, params TestFile[] files)
    {
        var raw = new Dictionary<FileRequest, byte[]>();
        foreach (var (path, text) in unchanged)
        {
            raw[new FileRequest(path, Side.Base)] = Encoding.UTF8.GetBytes(text);
            raw[new FileRequest(path, Side.Head)] = Encoding.UTF8.GetBytes(text);
        }

        return new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(RiskTestKit.Snapshot(files, raw), RiskOptions.Default);
    }

    [Theory]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk.Web\" />", null, false)]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>", null, false)]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\" />", null, false)]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><PackageId>Shop.Web</PackageId></PropertyGroup></Project>", null, true)]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\" />", "<Project><PropertyGroup><PackageProjectUrl>https://x</PackageProjectUrl></PropertyGroup></Project>", true)]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><IsPackable>false</IsPackable></PropertyGroup></Project>", "<Project><PropertyGroup><PackageTags>x</PackageTags></PropertyGroup></Project>", false)]
    public async Task Public_API_rules_apply_to_published_libraries_only(string project, string? rootProps, bool reported)
    {
        var unchanged = new Dictionary<string, string> { ["src/Shop.Web/Shop.Web.csproj"] = project };
        if (rootProps is not null)
        {
            unchanged["Directory.Build.props"] = rootProps;
        }

        var report = await Analyze(unchanged, new TestFile("src/Shop.Web/Api/OrdersController.cs", Controller, WidenedController));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB5002"));
    }

    [Fact]
    public async Task Without_a_project_file_public_API_counts_as_a_library()
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Shop.Web/Api/OrdersController.cs", Controller, WidenedController));
        Assert.Equal(2, report.Findings.Count(f => f.RuleId == "RB5002"));
    }

    [Fact]
    public async Task Signature_findings_say_what_changed_and_a_renamed_type_is_one_finding()
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Shop.Web/Api/OrdersController.cs", Controller, WidenedController));
        var get = Assert.Single(report.Findings, f => f.Message.Contains("Get(int)", StringComparison.Ordinal));
        Assert.Contains("`int` → `long`", get.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IActionResult", get.Message, StringComparison.Ordinal);
        var ctor = Assert.Single(report.Findings, f => f.Message.Contains("ctor", StringComparison.Ordinal) || f.Message.Contains(".OrdersController(", StringComparison.Ordinal));
        Assert.Contains("`IOrders orders` → `IOrders orders, ILogger log`", ctor.Message, StringComparison.Ordinal);

        const string Uses = "namespace Acme;\n\npublic class Orders\n{\n    public void Add(OrderLine line) { }\n\n    public void Remove(OrderLine line) { }\n\n    public OrderLine? Find(int id) => null;\n}\n";
        var renamed = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Orders.cs", Uses, Uses.Replace("OrderLine", "LineItem", StringComparison.Ordinal)));
        var finding = Assert.Single(renamed.Findings, f => f.RuleId == "RB5002");
        Assert.Contains("`OrderLine` → `LineItem`", finding.Message, StringComparison.Ordinal);
        Assert.Equal(5, finding.StartLine);
        Assert.Contains("(and 2 more: src/Acme/Orders.cs:7, src/Acme/Orders.cs:9)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_public_member_is_one_rename_finding_not_a_removal_and_an_addition()
    {
        const string Before = "namespace Acme;\n\npublic class Mailer\n{\n    public void Send(string to)\n    {\n        var message = Compose(to);\n        Deliver(message);\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Mailer.cs", Before, Before.Replace("Send(", "SendNow(", StringComparison.Ordinal)));
        var finding = Assert.Single(report.Findings);
        Assert.Equal("RB5002", finding.RuleId);
        Assert.Contains("Acme.Mailer.Send(string) renamed to Acme.Mailer.SendNow(string)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_experimental_API_is_not_a_break()
    {
        const string Before = "namespace Acme;\n\n[Experimental(\"ACME001\")]\npublic class Preview\n{\n    public void Try() { }\n}\n\npublic class Stable\n{\n    [Experimental(\"ACME002\")]\n    public void Soon() { }\n\n    public void Now() { }\n}\n";
        var after = "namespace Acme;\n\npublic class Stable\n{\n    public void Now() { }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Api.cs", Before, after));
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB5001");
    }

    [Fact]
    public async Task A_library_change_breaking_many_members_is_one_medium_decision_not_a_high_risk()
    {
        // Eight services of a published library made internal in one change (as a CMS core did): eight findings,
        // each medium, counted once in the score, so the change is medium, not high.
        var files = Enumerable.Range(1, 8).Select(i => new TestFile($"src/Acme/Services/Service{i}.cs",
            $"namespace Acme.Services;\n\npublic class Service{i}\n{{\n    public void Run() {{ }}\n}}\n",
            $"namespace Acme.Services;\n\ninternal class Service{i}\n{{\n    public void Run() {{ }}\n}}\n")).ToArray();
        var report = await RiskTestKit.AnalyzeAsync(files);
        Assert.Equal(8, report.Findings.Count(f => f.RuleId == "RB5002" && f.Severity == Severity.Medium));
        Assert.Equal(4, report.Score);
        Assert.Equal(RiskLevel.Medium, report.Level);
        Assert.Contains(report.Explanation, e => e.Contains("the 8 public-API findings count once", StringComparison.Ordinal));

        // A maintainer who gates on breaking changes raises the rule, and the change is high again.
        var raised = await RiskTestKit.AnalyzeAsync(new RiskOptions { Severities = new Dictionary<string, Severity> { ["RB5002"] = Severity.High } }, files);
        Assert.Equal(RiskLevel.High, raised.Level);
    }

    [Fact]
    public async Task Tests_documentation_coverage_and_built_assets_do_not_make_a_change_large()
    {
        static string Lines(int n, string word) => string.Concat(Enumerable.Range(0, n).Select(i => $"// {word} {i}\n"));
        var testsAndDocs = await RiskTestKit.AnalyzeAsync(
            new TestFile("tests/Acme.Tests/BigTests.cs", null, "namespace Acme.Tests;\n" + Lines(900, "case")),
            new TestFile("docs/guide.md", null, Lines(900, "text")),
            new TestFile("coverage/lcov.info", null, Lines(1200, "SF")),
            new TestFile("src/Acme.Manager/assets/dist/editor.js", Lines(1500, "old"), null),
            new TestFile("src/Acme.Manager/wwwroot/site.min.css", null, Lines(500, "rule")),
            new TestFile("src/Acme/Small.cs", "namespace Acme;\n", "namespace Acme;\n// one line\n"));
        Assert.DoesNotContain(testsAndDocs.Findings, f => f.RuleId == "RB8002");

        // A C# source is product code even in a folder named like a build output.
        var members = string.Concat(Enumerable.Range(0, 500).Select(i => $"    public int Field{i};\n"));
        var coverageCode = await RiskTestKit.AnalyzeAsync(new TestFile("src/Coverage/CoverageCalculator.cs", null, "namespace Acme;\npublic class CoverageCalculator\n{\n" + members + "}\n"));
        Assert.Contains(coverageCode.Findings, f => f.RuleId == "RB8002");

        var code = string.Concat(Enumerable.Range(0, 1100).Select(i => $"    public int Field{i};\n"));
        var product = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Big.cs", null, "namespace Acme;\npublic class Big\n{\n" + code + "}\n"));
        Assert.Equal(Severity.High, Assert.Single(product.Findings, f => f.RuleId == "RB8002").Severity);
    }

    /// <summary>
    /// Round 5 (jbogard/MediatR): 2,000 lines of samples are no large change, and a file whose line endings were
    /// converted while one member was added counts that member's lines, not the 1,000 lines git sees changed.
    /// </summary>
    [Fact]
    public async Task Samples_and_layout_around_a_changed_member_do_not_make_a_change_large()
    {
        var fields = string.Concat(Enumerable.Range(0, 1000).Select(i => $"    public int Field{i};\n"));
        var samples = await RiskTestKit.AnalyzeAsync(
            new TestFile("samples/Shop.Examples/Runner.cs", null, "namespace Shop.Examples;\npublic class Runner\n{\n" + fields + "}\n"),
            new TestFile("examples/Other/Program.cs", null, "namespace Other;\npublic class Program\n{\n" + fields + "}\n"));
        Assert.DoesNotContain(samples.Findings, f => f.RuleId == "RB8002");

        var before = "namespace Acme;\npublic class Config\n{\n" + fields + "}\n";
        var after = (before.Replace("}\n", "    public int Added => 1;\n}\n", StringComparison.Ordinal)).Replace("\n", "\r\n", StringComparison.Ordinal);
        var converted = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Config.cs", before, after));
        Assert.True(RiskTestKit.Snapshot(new TestFile("src/Acme/Config.cs", before, after)).Files[0].ChangedLines >= 1000);
        Assert.DoesNotContain(converted.Findings, f => f.RuleId == "RB8002");

        // The same member added among 1,000 fields that really changed is a large change.
        var rewritten = await RiskTestKit.AnalyzeAsync(new TestFile("src/Acme/Config.cs", before, after.Replace("int Field", "long Field", StringComparison.Ordinal)));
        Assert.Contains(rewritten.Findings, f => f.RuleId == "RB8002");
    }

    /// <summary>
    /// A licence header fixed in every file of a repository (a real held-out commit: one space in the header of 529
    /// files) is many lines and files, and nothing a reviewer must read closely; the same files with a member changed are.
    /// </summary>
    [Fact]
    public async Task Files_whose_members_did_not_change_do_not_make_a_change_large()
    {
        static string File(int i, string header, string body)
            => $"/*\n * {header}\n */\nusing System;\n\nnamespace Acme.Area{i % 6};\n\npublic class Type{i}\n{{\n    public string Name() => \"{body}\";\n}}\n";
        var headerOnly = Enumerable.Range(0, 30)
            .Select(i => new TestFile($"src/Area{i % 6}/Type{i}.cs", File(i, "MIT license.  See LICENSE.", "a"), File(i, "MIT license. See LICENSE.", "a")))
            .ToArray();
        Assert.DoesNotContain((await RiskTestKit.AnalyzeAsync(headerOnly)).Findings, f => f.RuleId == "RB8002");

        var codeToo = Enumerable.Range(0, 30)
            .Select(i => new TestFile($"src/Area{i % 6}/Type{i}.cs", File(i, "MIT license.  See LICENSE.", "a"), File(i, "MIT license. See LICENSE.", "b")))
            .ToArray();
        Assert.Contains((await RiskTestKit.AnalyzeAsync(codeToo)).Findings, f => f.RuleId == "RB8002");
    }

    /// <summary>
    /// A block namespace made file-scoped re-indents every line (a real held-out commit, PiranhaCMS d13d809): members with
    /// string literals, verbatim strings over several lines among them, are the same code, and the change is not large;
    /// one string changed inside is.
    /// </summary>
    [Fact]
    public async Task A_namespace_made_file_scoped_changes_no_member()
    {
        static string Member(int i, string word) => $"public string Query{i}() => @\"select *\nfrom t{i}\nwhere w = '{word}'\";\n\npublic string Name{i} => \"n {i}\";\n";
        static string Indent(string code, string by) => string.Concat(code.Split('\n').Select((l, n) => n == 0 || l.Length == 0 || l.StartsWith("from", StringComparison.Ordinal) || l.StartsWith("where", StringComparison.Ordinal) ? l + "\n" : by + l + "\n"));
        static string Block(int i, string word) => $"namespace Acme.Area{i % 6}\n{{\n    public class Type{i}\n    {{\n        " + Indent(Member(i, word), "        ").TrimEnd() + "\n    }\n}\n";
        static string FileScoped(int i, string word) => $"namespace Acme.Area{i % 6};\n\npublic class Type{i}\n{{\n    " + Indent(Member(i, word), "    ").TrimEnd() + "\n}\n";
        var converted = Enumerable.Range(0, 40).Select(i => new TestFile($"src/Area{i % 6}/Type{i}.cs", Block(i, "a"), FileScoped(i, "a"))).ToArray();
        var report = await RiskTestKit.AnalyzeAsync(converted);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB8002");

        var changed = Enumerable.Range(0, 40).Select(i => new TestFile($"src/Area{i % 6}/Type{i}.cs", Block(i, "a"), FileScoped(i, "a b"))).ToArray();
        Assert.Contains((await RiskTestKit.AnalyzeAsync(changed)).Findings, f => f.RuleId == "RB8002");
    }

    /// <summary>
    /// Test code does not ship: rules about the shipped program's behaviour (here RB1005, an audience check switched off in
    /// a token-validating fixture; RB8001, a long test) report nothing there, while a suppression keeps its severity.
    /// </summary>
    [Theory]
    [InlineData("tests/Shop.Tests/AuthFixture.cs", false)]
    [InlineData("src/Shop.Web/Auth.cs", true)]
    public async Task Rules_about_the_shipped_program_report_nothing_in_test_code(string path, bool reported)
    {
        var branches = string.Concat(Enumerable.Range(0, 30).Select(i => $"\n        if (x == {i}) {{ x++; }}"));
        var report = await RiskTestKit.AnalyzeAsync(new TestFile(path,
            RuleCases.InMethod("        var x = 1;"),
            RuleCases.InMethod("        var x = 1;\n        var p = new TokenValidationParameters { ValidateAudience = false };" + branches
                + "\n#pragma warning disable CS0618\n        x++;\n#pragma warning restore CS0618")));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB1005"));
        Assert.All(report.Findings.Where(f => f.RuleId == "RB1005"), f => Assert.Equal(Severity.Critical, f.Severity));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB8001"));
        Assert.Equal(Severity.Medium, Assert.Single(report.Findings, f => f.RuleId == "RB6001").Severity);
    }

    /// <summary>A literal given to a secret-named variable is a secret only if it has more than three distinct characters (placeholders such as "xxxxxx" or "abcabc" are not).</summary>
    [Theory]
    [InlineData("xxxxxxxx", false)]
    [InlineData("abcabcab", false)]
    [InlineData("abcdabcd", true)]
    public async Task A_secret_named_literal_needs_more_than_three_distinct_characters(string value, bool reported)
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Sync/Client.cs",
            RuleCases.InMethod("        var x = 1;"),
            RuleCases.InMethod($"        var password = \"{value}\";")));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB2006"));
    }

    /// <summary>What test code sends goes to test servers: a password written in the clear there is no RB2008 (as RB2006 skips its literals).</summary>
    [Theory]
    [InlineData("tests/Sync.Tests/ServerFixture.cs", false)]
    [InlineData("src/Sync/Client.cs", true)]
    public async Task A_credential_sent_in_the_clear_by_test_code_is_not_reported(string path, bool reported)
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile(path,
            RuleCases.InMethod("        var x = 1;"),
            RuleCases.InMethod("        var password = System.Environment.GetEnvironmentVariable(\"SYNC_PASSWORD\");\n        var client = new TcpClient(\"localhost\", 7000);\n        var writer = new StreamWriter(client.GetStream());\n        writer.WriteLine(password);")));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB2008"));
    }

    /// <summary>A complex method moved out of test code is new to the product: its complexity there is not counted, nor compared with.</summary>
    [Fact]
    public async Task A_complex_method_moved_out_of_test_code_is_new_complexity()
    {
        var branches = string.Concat(Enumerable.Range(0, 30).Select(i => $"\n        if (x == {i}) {{ x++; }}"));
        var method = RuleCases.InMethod("        var x = 1;" + branches);
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("tests/Shop.Tests/Checks.cs", method, null), new TestFile("src/Shop/Checks.cs", null, method));
        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB8001");
        Assert.Contains("(new; threshold 25)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<PackageReference Include=\"xunit.v3\" Version=\"2.0.0\" />", false)]
    [InlineData("<PackageReference Include=\"Serilog\" Version=\"4.0.0\" />", true)]
    public async Task A_test_project_is_test_code_whatever_its_folder_is_called(string reference, bool reported)
    {
        var unchanged = new Dictionary<string, string>
        {
            ["Shop.Checks/Shop.Checks.csproj"] = $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{reference}</ItemGroup></Project>",
        };
        var report = await Analyze(unchanged, new TestFile("Shop.Checks/AuthFixture.cs",
            RuleCases.InMethod("        var x = 1;"),
            RuleCases.InMethod("        var p = new TokenValidationParameters { ValidateAudience = false };")));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB1005"));
    }

    [Fact]
    public async Task A_large_change_is_one_finding_and_machine_written_files_do_not_count()
    {
        var big = string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i}\n"));
        var files = Enumerable.Range(0, 25).Select(i => new TestFile($"d{i % 6}/f{i}.txt", "a\n", "b\n")).ToList();
        files.Add(new TestFile("docs/big.txt", "x\n", big));
        var report = await RiskTestKit.AnalyzeAsync([.. files]);
        var size = Assert.Single(report.Findings, f => f.RuleId == "RB8002");
        Assert.Contains("changed lines", size.Message, StringComparison.Ordinal);
        Assert.Contains("files changed", size.Message, StringComparison.Ordinal);
        Assert.Contains("directories touched", size.Message, StringComparison.Ordinal);

        var locked = await RiskTestKit.AnalyzeAsync(new TestFile("src/App/packages.lock.json", "{}\n", "{\n" + big + "}\n"), new TestFile("src/App/A.cs", "class A { }\n", "class A { int x; }\n"));
        Assert.DoesNotContain(locked.Findings, f => f.RuleId == "RB8002");
    }

    [Theory]
    [InlineData("Directory.Build.props", "<Project><PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks></PropertyGroup></Project>\n", "<Project><PropertyGroup><TargetFrameworks>net8.0;net9.0;net10.0</TargetFrameworks></PropertyGroup></Project>\n", "RB7002", Severity.Low)]
    [InlineData("Directory.Build.props", "<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>\n", "<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework><EnableDefaultItems>false</EnableDefaultItems></PropertyGroup></Project>\n", "RB7002", Severity.Medium)]
    [InlineData("global.json", "{ \"sdk\": { \"version\": \"9.0.100\" } }\n", "{ \"sdk\": { \"version\": \"10.0.100-rc.2\" } }\n", "RB7002", Severity.Low)]
    [InlineData(".github/workflows/ci.yml", "steps:\n  - uses: actions/setup-dotnet@v4\n    with: { dotnet-version: 9.0.x }\n", "steps:\n  - uses: actions/setup-dotnet@v5\n    with: { dotnet-version: 10.0.x }\n", "RB7004", Severity.Low)]
    [InlineData(".github/workflows/ci.yml", "steps:\n  - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n", "steps:\n  - uses: actions/checkout@a5ac7e51b41094c92402da3b24376905380afc29\n", "RB7004", Severity.High)]
    [InlineData(".github/workflows/ci.yml", "steps:\n  - run: dotnet test\n", "steps:\n  - run: dotnet test\n  - run: curl https://x | sh\n", "RB7004", Severity.High)]
    public async Task Changes_that_only_move_versions_are_low(string path, string before, string after, string rule, Severity expected)
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile(path, before, after));
        Assert.Equal(expected, Assert.Single(report.Findings, f => f.RuleId == rule).Severity);
    }

    [Theory]
    [InlineData("MCPEXP001", Severity.Low)]
    [InlineData("ASPIREINTERACTION001", Severity.Low)]
    [InlineData("IDE0051", Severity.Medium)]
    [InlineData("CA5351", Severity.High)]
    public async Task Suppressing_an_experimental_API_diagnostic_is_an_opt_in(string id, Severity expected)
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/App/Tools.cs",
            RuleCases.InMethod("        var x = 1;"), RuleCases.InMethod($"#pragma warning disable {id}\n        var x = 1;")));
        Assert.Equal(expected, Assert.Single(report.Findings, f => f.RuleId == "RB6001").Severity);
    }

    [Fact]
    public async Task Major_upgrades_are_one_low_finding_per_file_and_additions_stay_one_each()
    {
        const string Before = "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"A\" Version=\"1.0.0\" />\n    <PackageVersion Include=\"B\" Version=\"1.0.0\" />\n    <PackageVersion Include=\"C\" Version=\"2.0.0\" />\n"
            + "    <PackageVersion Include=\"E\" Version=\"1.0.1\" />\n    <PackageVersion Include=\"F\" Version=\"0.12.1\" />\n  </ItemGroup>\n</Project>\n";
        var after = Before.Replace("\"1.0.0\"", "\"2.1.0\"", StringComparison.Ordinal).Replace("\"2.0.0\"", "\"1.9.0\"", StringComparison.Ordinal)
            .Replace("\"1.0.1\"", "\"1.4.0\"", StringComparison.Ordinal).Replace("\"0.12.1\"", "\"0.13.0\"", StringComparison.Ordinal)
            .Replace("  </ItemGroup>", "    <PackageVersion Include=\"D\" Version=\"3.0.0\" />\n  </ItemGroup>", StringComparison.Ordinal);
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("Directory.Packages.props", Before, after));
        var findings = report.Findings.Where(f => f.RuleId == "RB7001").ToList();
        Assert.Equal(3, findings.Count);
        Assert.Contains(findings, f => f.Severity == Severity.Low && f.Message == "3 package(s) upgraded to a new major version: A 1.0.0 → 2.1.0, B 1.0.0 → 2.1.0, F 0.12.1 → 0.13.0");
        Assert.Contains(findings, f => f.Severity == Severity.High && f.Message.Contains("C downgraded", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Medium && f.Message == "package D 3.0.0 added");
    }

    [Theory]
    [InlineData("src/Core/Core.csproj", "1.2.0", "1.3.5", false)] // a minor upgrade: the publisher's compatibility promise
    [InlineData("src/Core/Core.csproj", "[1.0.1]", "[2.0.0, 3.0.0)", true)] // a range's lower bound moved to a new major
    [InlineData("src/Core/Core.csproj", "$(ContractsVersion)", "2.0.0", true)] // a version that is no number: read it
    [InlineData("samples/Shop.Example/Shop.Example.csproj", "8.1.0", "12.1.0", false)] // ships to nobody (seen on jbogard/MediatR)
    [InlineData("test/Core.Tests/Core.Tests.csproj", "6.0.0", "8.0.0", false)]
    [InlineData("bench/Core.Benchmarks/Core.Benchmarks.csproj", "0.12.1", "0.13.1", false)]
    public async Task Only_major_upgrades_of_shipped_projects_are_reported(string path, string from, string to, bool reported)
    {
        const string Project = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Lib\" Version=\"VERSION\" />\n  </ItemGroup>\n</Project>\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile(path, Project.Replace("VERSION", from, StringComparison.Ordinal), Project.Replace("VERSION", to, StringComparison.Ordinal)));
        Assert.Equal(reported, report.Findings.Any(f => f.RuleId == "RB7001"));
    }

    [Fact]
    public async Task File_based_apps_parse_without_errors()
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("tools/seed.cs", null,
            "#!/usr/bin/env dotnet\n#:sdk Microsoft.NET.Sdk.Web\n#:package Humanizer@2.14.1\n\nConsole.WriteLine(\"seeded\");\n"));
        Assert.Empty(report.Notes);
        Assert.Contains(report.Findings, f => f.RuleId == "RB7001" && f.Message.Contains("Humanizer 2.14.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Risk_ignore_sets_findings_aside_for_its_paths_and_says_why()
    {
        var file = RuleCases.InMethod("        var x = 1;");
        var risky = RuleCases.InMethod("        var t = Type.GetType(input);");
        var options = RiskOptions.Default with
        {
            Ignore = [new RiskIgnore("RB3005", ["src/Plugins/"], "the plugin loader resolves types by name by design")],
        };
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(RiskTestKit.Snapshot(
            new TestFile("src/Plugins/Loader.cs", file, risky), new TestFile("src/Core/Loader.cs", file, risky)), options);
        var kept = Assert.Single(report.Findings, f => f.RuleId == "RB3005");
        Assert.Equal("src/Core/Loader.cs", kept.Path);
        Assert.Contains(report.Explanation, e => e == "risk.ignore: 1 RB3005 finding(s) in src/Plugins/ not counted (reason: the plugin loader resolves types by name by design)");
    }

    [Fact]
    public void Risk_ignore_is_read_from_the_rules_file()
    {
        var result = RulesParser.Parse("""
            version: 1
            risk:
              ignore:
                - rule: rb3005
                  paths: ["src/Plugins/**", "tools/"]
                  reason: plugin loading by name is the design
            rules: []
            """, "r.yml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var entry = Assert.Single(result.Rules!.Risk.Ignore);
        Assert.Equal("RB3005", entry.RuleId);
        Assert.Equal(["src/Plugins/**", "tools/"], entry.Paths);
        Assert.Equal("plugin loading by name is the design", entry.Reason);
    }

    [Theory]
    [InlineData("version: 1\nrisk:\n  ignore:\n    - { rule: RB3005, paths: [src/**] }\nrules: []\n", "r.yml:4:7: 'ignore' entry needs 'reason' (rule, paths and reason are all required)")]
    [InlineData("version: 1\nrisk:\n  ignore:\n    - { rule: RB9999, paths: [src/**], reason: x }\nrules: []\n", "r.yml:4:15: unknown risk rule 'RB9999'")]
    [InlineData("version: 1\nrisk:\n  ignore:\n    - { rule: RB3005, paths: [\"!src/**\"], reason: x }\nrules: []\n", "r.yml:4:31: '!src/**': ignore paths take no '!' exclusions")]
    [InlineData("version: 1\nrisk:\n  ignore:\n    - { rule: RB3005, paths: [src/**], reason: x, until: 2027 }\nrules: []\n", "r.yml:4:51: unknown key 'until' in ignore entry; allowed: rule, paths, reason")]
    [InlineData("version: 1\nrisk:\n  ignore: RB3005\nrules: []\n", "r.yml:3:11: 'ignore' must be a list of { rule, paths, reason } entries")]
    public void Bad_risk_ignore_entries_are_positioned_errors(string yaml, string expected)
    {
        var errors = RulesParser.Parse(yaml, "r.yml").Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
