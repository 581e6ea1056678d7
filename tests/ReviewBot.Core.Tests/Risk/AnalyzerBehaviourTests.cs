using System.Text;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

public sealed class AnalyzerBehaviourTests
{
    private const string Risky = """
        namespace Acme;

        public class Runner
        {
            public void Run(string cmd)
            {
                var h = System.Security.Cryptography.MD5.Create();
            }

            public int Other() => 1;
        }
        """;

    [Fact]
    public async Task Moving_and_reformatting_a_member_gives_no_finding()
    {
        var moved = """
            namespace Acme;

            public class Runner
            {
                public int Other() => 1;

                public void Run(string cmd) { var h = System.Security.Cryptography.MD5.Create(); }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", Risky, moved));
        Assert.Empty(report.Findings);
        Assert.Equal(RiskLevel.None, report.Level);
    }

    [Fact]
    public async Task A_type_moved_to_another_file_keeps_its_identity()
    {
        var report = await RiskTestKit.AnalyzeAsync(
            new TestFile("src/Runner.cs", Risky, null),
            new TestFile("src/Jobs/Runner.cs", null, Risky.Replace("    ", "  ", StringComparison.Ordinal)));
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB2002");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_member_moved_into_a_new_file_is_still_compared_with_its_base_version(bool newFileFirst)
    {
        // New files are walked after the files with a base side, so a member moving out of a deleted file into a
        // new one is compared with what it was: what it kept (its lock, its signature) is no finding, what it
        // lost is.
        var before = """
            namespace Acme;

            public class Ledger
            {
                private readonly object gate = new();
                private int total;

                public void Add(int amount)
                {
                    lock (gate)
                    {
                        total += amount;
                    }
                }
            }
            """;
        var kept = before.Replace("total += amount;", "total += amount * 2;", StringComparison.Ordinal);
        var lost = before.Replace("lock (gate)", "if (amount > 0)", StringComparison.Ordinal);
        foreach (var (head, lockRemoved) in new[] { (kept, false), (lost, true) })
        {
            TestFile[] files = [new("src/Old/Ledger.cs", before, null), new("src/New/Ledger.cs", null, head)];
            var report = await RiskTestKit.AnalyzeAsync(newFileFirst ? [files[1], files[0]] : files);
            Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB5002");
            Assert.Equal(lockRemoved, report.Findings.Any(f => f.RuleId == "RB4005" && f.Side == Side.Base && f.Path == "src/Old/Ledger.cs" && f.StartLine == 10));
        }

        // A member whose signature changed on the way is paired by name and reported.
        var widened = before.Replace("Add(int amount)", "Add(long amount)", StringComparison.Ordinal).Replace("total += amount;", "total += (int)amount;", StringComparison.Ordinal);
        var moved = await RiskTestKit.AnalyzeAsync(new TestFile("src/New/Ledger.cs", null, widened), new TestFile("src/Old/Ledger.cs", before, null));
        Assert.Contains(moved.Findings, f => f.RuleId == "RB5002" && f.Message.Contains("Add(int)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Whitespace_changed_inside_a_string_literal_is_a_change()
    {
        // Only a space moved, inside the command: the member is walked, and the process start is a new fact.
        var before = Risky.Replace("var h = System.Security.Cryptography.MD5.Create();", "System.Diagnostics.Process.Start(\"rm\", \"-rf ./build\" + System.Console.ReadLine());", StringComparison.Ordinal);
        var after = before.Replace("-rf ./build", "-rf . /build", StringComparison.Ordinal);
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", before, after));
        Assert.Contains(report.Findings, f => f.RuleId == "RB3002" && f.Side == Side.Head);
    }

    [Fact]
    public async Task Notes_follow_the_order_of_the_files_whatever_order_they_are_walked_in()
    {
        var report = await RiskTestKit.AnalyzeAsync(
            new TestFile("src/A.cs", null, "class A { void M( }"),
            new TestFile("src/B.cs", "class B { }", "class B { void M( }"),
            new TestFile("src/C.cs", null, "class C { void M( }"));
        Assert.Equal(["src/A.cs", "src/B.cs", "src/C.cs"], report.Notes.Select(n => n.Path).ToArray());
    }

    [Fact]
    public async Task A_renamed_file_is_compared_with_its_previous_path()
    {
        var head = Risky.Replace("public int Other() => 1;", "public int Other() => System.Security.Cryptography.SHA1.HashData(new byte[1]).Length;");
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/NewName.cs", Risky, head, PreviousPath: "src/OldName.cs"));
        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB2002");
        Assert.Equal("src/NewName.cs", finding.Path);
        Assert.Equal(10, finding.StartLine);
    }

    [Fact]
    public async Task Regenerated_code_is_analysed_one_severity_lower_unless_included()
    {
        // Generated in the base too: code a tool regenerates (a file the change adds is judged at full severity).
        var generated = "// <auto-generated/>\n" + Risky;
        var before = Risky.Replace("MD5", "SHA256");
        var lowered = await RiskTestKit.AnalyzeAsync(
            new TestFile("src/Runner.cs", "// <auto-generated/>\n" + before, generated), new TestFile("src/Form1.Designer.cs", before, Risky));
        Assert.Equal(2, lowered.Findings.Count(f => f.RuleId == "RB2002"));
        Assert.All(lowered.Findings.Where(f => f.RuleId == "RB2002"), f =>
        {
            Assert.Equal(Severity.Low, f.Severity); // medium, one lower
            Assert.EndsWith("(generated code: one severity lower)", f.Message);
        });
        Assert.Equal(2, lowered.Notes.Count(n => n.Note.Contains("generated", StringComparison.Ordinal)));

        var included = await RiskTestKit.AnalyzeAsync(new RiskOptions { IncludeGenerated = true }, new TestFile("src/Form1.Designer.cs", null, Risky));
        Assert.Contains(included.Findings, f => f.RuleId == "RB2002" && f.Severity == Severity.Medium);
    }

    [Fact]
    public async Task A_generated_marker_or_path_put_on_a_hand_written_file_lowers_nothing()
    {
        var handWritten = Risky.Replace("var h = System.Security.Cryptography.MD5.Create();", "");
        var marked = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", handWritten, "// <auto-generated/>\n" + Risky));
        Assert.Contains(marked.Findings, f => f.RuleId == "RB2002" && f.Severity == Severity.Medium);
        Assert.Contains(marked.Notes, n => n.Note.Contains("added to a hand-written file", StringComparison.Ordinal));

        var renamed = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.g.cs", handWritten, Risky, PreviousPath: "src/Runner.cs"));
        Assert.Contains(renamed.Findings, f => f.RuleId == "RB2002" && f.Severity == Severity.Medium);
    }

    [Fact]
    public async Task A_marker_inside_code_does_not_make_a_file_generated()
    {
        var head = Risky.Replace("public int Other() => 1;", "public bool Other(string t) => t.Contains(\"<auto-generated\");");
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", null, "// Copyright Acme\n\n" + head));
        Assert.Empty(report.Notes);
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002");
    }

    [Fact]
    public async Task Very_large_files_are_not_analysable_findings_not_a_hang()
    {
        var options = new RiskOptions { Thresholds = new Dictionary<string, double> { ["max_file_bytes"] = 100 } };
        var report = await RiskTestKit.AnalyzeAsync(options, new TestFile("src/Runner.cs", null, Risky));
        var finding = Assert.Single(report.Findings);
        Assert.Equal("RB9001", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("size (head ", finding.Message);
        Assert.Contains("> max_file_bytes 100", finding.Message);
        Assert.True(report.Level >= RiskLevel.High);
    }

    [Fact]
    public async Task Non_utf8_content_is_read_as_latin1_and_analysed()
    {
        var latin1 = Encoding.Latin1.GetBytes("// Größe: é\n" + Risky);
        var snapshot = RiskTestKit.Snapshot(
            [new TestFile("src/Runner.cs", null, "placeholder")],
            new Dictionary<FileRequest, byte[]> { [new FileRequest("src/Runner.cs", Side.Head)] = latin1 });
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(snapshot, RiskOptions.Default);
        Assert.Contains(report.Notes, n => n.Note.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002" && f.StartLine == 8);
    }

    [Fact]
    public async Task Parse_errors_are_noted_and_the_rest_is_analysed()
    {
        var broken = Risky.Replace("public int Other() => 1;", "public int Other( => 1 {{");
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", null, broken));
        Assert.Contains(report.Notes, n => n.Note.Contains("parse error", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002");
    }

    [Fact]
    public async Task Pathologically_deep_expressions_do_not_crash()
    {
        var concat = "\"a\"" + string.Concat(Enumerable.Repeat(" + input", 30_000));
        var parens = new string('(', 100) + "1" + new string(')', 100);
        var head = "public class Deep\n{\n    public string A(string input) => " + concat + ";\n    public int B() => " + parens
            + ";\n    public void C() { var h = System.Security.Cryptography.MD5.Create(); }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Deep.cs", null, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002" && f.StartLine == 5);
    }

    [Fact]
    public async Task Inactive_preprocessor_branches_are_analysed_and_named()
    {
        var head = "#if DEBUG\nclass D { void M() { var h = System.Security.Cryptography.MD5.Create(); } }\n#endif\nclass E { }\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", null, head));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("RB2002", 2), (finding.RuleId, finding.StartLine));
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", finding.Message);
    }

    [Theory]
    [InlineData("\t")]
    [InlineData("\v")]
    [InlineData("\u00A0")]
    [InlineData("\u3000")]
    public async Task An_if_directive_spelled_with_unusual_blanks_is_still_a_branch(string blank)
    {
        // The compiler reads any Unicode space between '#' and 'if': the quick look for #if in the text must too.
        var head = "#" + blank + "if DEBUG\nclass D { void M() { var h = System.Security.Cryptography.MD5.Create(); } }\n#endif\nclass E { }\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", null, head));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("RB2002", 2), (finding.RuleId, finding.StartLine));
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", finding.Message);
    }

    [Fact]
    public async Task A_side_without_if_is_compared_with_the_inactive_branch_of_the_other()
    {
        // The base has no #if: its tree is the same under DEBUG, and the call already there is no finding; the new one is.
        var before = "class D\n{\n    void M()\n    {\n        var h = System.Security.Cryptography.MD5.Create();\n    }\n}\n";
        var after = "class D\n{\n    void M()\n    {\n#if DEBUG\n        var h = System.Security.Cryptography.MD5.Create();\n"
            + "        var s = System.Security.Cryptography.SHA1.Create();\n#endif\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", before, after));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("RB2002", 7, Side.Head), (finding.RuleId, finding.StartLine, finding.Side));
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", finding.Message);
    }

    [Fact]
    public async Task Members_outside_inactive_branches_keep_their_findings_once_when_the_file_is_parsed_again()
    {
        // Only M2 reaches into #if DEBUG: the parse under DEBUG judges it alone, and M1's new call is reported once, by the
        // parse without symbols, without the branch's name.
        var before = "class D\n{\n    void M1() { }\n\n    void M2()\n    {\n    }\n}\n";
        var after = "class D\n{\n    void M1() { var h = System.Security.Cryptography.MD5.Create(); }\n\n    void M2()\n    {\n#if DEBUG\n"
            + "        var s = System.Security.Cryptography.SHA1.Create();\n#endif\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", before, after));
        Assert.Equal(2, report.Findings.Count);
        var active = Assert.Single(report.Findings, f => f.StartLine == 3);
        Assert.DoesNotContain("inactive", active.Message, StringComparison.Ordinal);
        var inactive = Assert.Single(report.Findings, f => f.StartLine == 8);
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", inactive.Message);
    }

    [Fact]
    public async Task A_directive_among_assembly_attributes_stays_theirs_when_the_file_is_parsed_again()
    {
        // The base's pragma belongs to its assembly attributes; the head's, under DEBUG, is new. Were the attributes not
        // walked again under DEBUG, the base's pragma would fall to the file and cancel the head's.
        var before = "#pragma warning disable CA5350\n[assembly: System.Reflection.AssemblyTitle(\"a\")]\nclass C { }\n";
        var after = "[assembly: System.Reflection.AssemblyTitle(\"b\")]\n#if DEBUG\n#pragma warning disable CA5350\n#endif\nclass C { }\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/AssemblyInfo.cs", before, after));
        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB6001");
        Assert.Equal((3, Side.Head), (finding.StartLine, finding.Side));
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", finding.Message);
    }

    [Fact]
    public async Task A_directive_in_an_inactive_branch_is_reported_once_and_one_no_build_takes_not_at_all()
    {
        // Roslyn keeps a directive in a branch it does not take: it is judged by the parse that takes the branch (once,
        // named after it), and under #if false by none.
        var head = "class C\n{\n    void M()\n    {\n#if DEBUG\n#pragma warning disable CA5350\n#endif\n#if false\n#pragma warning disable CA5351\n#endif\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/C.cs", "class C\n{\n    void M()\n    {\n    }\n}\n", head));
        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB6001");
        Assert.Equal(6, finding.StartLine);
        Assert.EndsWith("(in #if DEBUG, a branch inactive without symbols)", finding.Message);
    }

    [Theory]
    [InlineData("using Plain = System.Net.Sockets.NetworkStream;\n", "var st = new Plain(client);")]
    [InlineData("", "var st = client.Get\u00ADStream();")]
    public async Task A_plain_network_stream_is_followed_whatever_the_text_calls_it(string usings, string stream)
    {
        // An alias or a soft hyphen: the member's text never says NetworkStream or GetStream, the names do.
        var head = usings + "class Sync\n{\n    void Send(System.Net.Sockets.TcpClient client, string password)\n    {\n        " + stream
            + "\n        st.Write(System.Text.Encoding.UTF8.GetBytes(password));\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Sync.cs", null, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB2008");
    }

    [Fact]
    public async Task A_branch_left_untaken_within_max_symbol_sets_is_not_analysable()
    {
        var head = "#if A\nclass A1 { }\n#elif B\nclass B1 { }\n#elif C\nclass C1 { }\n#endif\n";
        var options = new RiskOptions { Thresholds = new Dictionary<string, double> { ["max_symbol_sets"] = 1 } };
        var report = await RiskTestKit.AnalyzeAsync(options, new TestFile("src/D.cs", null, head));
        var finding = Assert.Single(report.Findings);
        Assert.Equal("RB9001", finding.RuleId);
        Assert.Contains("#elif B", finding.Message);

        var enough = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", null, head));
        Assert.Empty(enough.Findings);
    }

    [Fact]
    public async Task Inactive_branches_in_unchanged_members_are_not_parsed_again()
    {
        // Three branches, one symbol set: in a member the change touched, some branch stays untaken (RB9001); in an
        // unchanged member they hold nothing of the change and are not parsed again, unless a branch, once taken, could
        // reach beyond itself (here an unterminated verbatim string would swallow what follows).
        static string File(string branches, string changed)
            => "class D\n{\n    void M()\n    {\n#if A\n        Run(1);\n#elif B\n" + branches + "\n#elif C\n        Run(3);\n#endif\n    }\n\n    int N() => " + changed + ";\n}\n";
        var options = new RiskOptions { Thresholds = new Dictionary<string, double> { ["max_symbol_sets"] = 1 } };
        var plain = "        Run(2);";
        var untouched = await RiskTestKit.AnalyzeAsync(options, new TestFile("src/D.cs", File(plain, "1"), File(plain, "2")));
        Assert.DoesNotContain(untouched.Findings, f => f.RuleId == "RB9001");

        var touched = await RiskTestKit.AnalyzeAsync(options, new TestFile("src/D.cs", File(plain, "1"), File("        Run(22);", "1")));
        Assert.Contains(touched.Findings, f => f.RuleId == "RB9001");

        var reaching = "        var s = @\"";
        var open = await RiskTestKit.AnalyzeAsync(options, new TestFile("src/D.cs", File(reaching, "1"), File(reaching, "2")));
        Assert.Contains(open.Findings, f => f.RuleId == "RB9001");
    }

    [Fact]
    public async Task A_dead_branch_needs_no_symbol_set()
    {
        var head = "#if false\nclass D { void M() { var h = System.Security.Cryptography.MD5.Create(); } }\n#endif\nclass E { }\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", null, head));
        Assert.Empty(report.Findings);
    }

    [Fact]
    public async Task A_branch_the_files_own_define_rules_out_is_dead_code()
    {
        // A polyfill file (seen on jbogard/MediatR): the symbol is defined at the top, so no build compiles the #else.
        // Its code is no change anyone can ship, and the file is not "not analysable" for lack of a symbol set.
        const string Polyfill = "#define INTERNAL_ATTRIBUTES\n#if NETSTANDARD2_0 || NET462\n#if INTERNAL_ATTRIBUTES\ninternal\n#else\npublic\n#endif\n"
            + "sealed class AllowNullAttribute : System.Attribute { }\n#endif\n";
        var file = new TestFile("src/NullableAttributes.cs", Polyfill, Polyfill.Replace("class AllowNull", "class MaybeNull", StringComparison.Ordinal));
        var report = await RiskTestKit.AnalyzeAsync(file);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB9001");

        // Defined only under some condition, the symbol decides nothing: the branch it guards gets its parse.
        var head = "#if NET462\n#define INTERNAL_ATTRIBUTES\n#endif\n#if INTERNAL_ATTRIBUTES\nclass B { void M() { var h = System.Security.Cryptography.MD5.Create(); } }\n#endif\nclass A { }\n";
        var conditional = await RiskTestKit.AnalyzeAsync(new TestFile("src/A.cs", null, head));
        Assert.Contains(conditional.Findings, f => f.RuleId != "RB9001" && f.Message.Contains("in #if INTERNAL_ATTRIBUTES", StringComparison.Ordinal));

        // Undefined in a branch the parse without symbols does not take (invisible to that parse): the branch holding the
        // #undef must be taken too, and the parse that takes it (EVIL_BUILD) takes the #else as well, so the #else is
        // analysed, never left for dead code.
        var hidden = "#define SAFE\n#if EVIL_BUILD\n#undef SAFE\n#endif\n#if SAFE\nclass A { }\n#else\nclass B { void M() { var h = System.Security.Cryptography.MD5.Create(); } }\n#endif\n";
        var evasion = await RiskTestKit.AnalyzeAsync(new TestFile("src/B.cs", null, hidden));
        Assert.Contains(evasion.Findings, f => f.RuleId != "RB9001" && f.Message.Contains("#else of #if SAFE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_disable_rules_override_severities_and_raise_sensitive_paths()
    {
        var file = new TestFile("src/Auth/Runner.cs", null, Risky);

        var disabled = await RiskTestKit.AnalyzeAsync(new RiskOptions { Disabled = ["RB2002"] }, file);
        Assert.DoesNotContain(disabled.Findings, f => f.RuleId == "RB2002");

        var overridden = await RiskTestKit.AnalyzeAsync(new RiskOptions { Severities = new Dictionary<string, Severity> { ["RB2002"] = Severity.Critical } }, file);
        Assert.Equal(Severity.Critical, Assert.Single(overridden.Findings, f => f.RuleId == "RB2002").Severity);
        Assert.Equal(RiskLevel.Critical, overridden.Level);

        var plain = await RiskTestKit.AnalyzeAsync(file);
        Assert.Equal(RiskLevel.Medium, plain.Level);
        var sensitive = await RiskTestKit.AnalyzeAsync(new RiskOptions { SensitivePaths = ["src/Auth/**"] }, file);
        Assert.Equal(RiskLevel.High, sensitive.Level);
        Assert.Contains(sensitive.Explanation, e => e.Contains("src/Auth/**", StringComparison.Ordinal));
        var excluded = await RiskTestKit.AnalyzeAsync(new RiskOptions { SensitivePaths = ["src/**", "!src/Auth/**"] }, file);
        Assert.Equal(RiskLevel.Medium, excluded.Level);

        // Folder patterns cover everything below them, case-insensitively; braces work as in the rules' paths.
        Assert.Equal(RiskLevel.High, (await RiskTestKit.AnalyzeAsync(new RiskOptions { SensitivePaths = ["src/auth/"] }, file)).Level);
        Assert.Equal(RiskLevel.High, (await RiskTestKit.AnalyzeAsync(new RiskOptions { SensitivePaths = ["src/{Billing,Auth}/*.cs"] }, file)).Level);
        Assert.Equal(RiskLevel.Medium, (await RiskTestKit.AnalyzeAsync(new RiskOptions { SensitivePaths = ["src/Authz/"] }, file)).Level);
    }

    [Fact]
    public async Task Contents_are_fetched_in_one_batched_request()
    {
        var provider = new CountingProvider();
        var snapshot = RiskTestKit.Snapshot(new TestFile("a/A.cs", Risky, Risky + "\n"), new TestFile("b/B.cs", null, Risky), new TestFile("c/app.csproj", "<Project/>", "<Project />"), new TestFile("d/readme.md", "a", "b"))
            with { Contents = provider };
        await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(snapshot, RiskOptions.Default);
        Assert.Equal(1, provider.Calls);
        // 5 sides of changed files, and both sides of the project files that could hold a/A.cs and b/B.cs
        // (a/a.csproj, b/b.csproj, and Directory.Build.props in a/, b/ and the root).
        Assert.Equal(15, provider.Requested);
    }

    [Fact]
    public async Task Score_and_level_are_explained()
    {
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", null, Risky));
        Assert.Equal(4, report.Score);
        Assert.Contains(report.Explanation, e => e.Contains("highest severity medium", StringComparison.Ordinal));
    }

    private sealed class CountingProvider : IFileContentProvider
    {
        public int Calls { get; private set; }

        public int Requested { get; private set; }

        public Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
        {
            Calls++;
            Requested += files.Count;
            return Task.FromResult<IReadOnlyList<FileContent>>([]);
        }
    }

    [Fact]
    public async Task Tainted_data_passed_to_a_helper_is_reported_on_the_call_naming_the_source_the_sink_and_the_helper()
    {
        var head = """
            namespace Acme;

            public class Orders
            {
                public void Search()
                {
                    var name = System.Console.ReadLine();
                    Find(name);
                }

                private void Find(string name)
                {
                    cmd.CommandText = "SELECT * FROM T WHERE Name = '" + name + "'";
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Orders.cs", null, head));
        var call = Assert.Single(report.Findings, f => f.RuleId == "RB3001" && f.StartLine == 8);
        Assert.Equal(Severity.High, call.Severity);
        Assert.Equal("System.Console.ReadLine() (line 7) reaches CommandText (line 13) through line 8: SQL injection: use parameters (through Find(), called here)", call.Message);
        var helper = Assert.Single(report.Findings, f => f.RuleId == "RB3001" && f.StartLine == 13); // the helper's own, judged alone
        Assert.Equal(Severity.Medium, helper.Severity);
    }

    /// <summary>
    /// A helper is looked into around its sinks' names, and node by node when its text could hide one from that search
    /// (an escape or a formatting character in a name): a hidden sink is no way around the call-site finding.
    /// </summary>
    [Theory]
    [InlineData("CommandText")]
    [InlineData("Command\\u0054ext")]
    [InlineData("Command\u00ADText")]
    public async Task A_helpers_sink_is_followed_however_its_name_is_written(string property)
    {
        var head = "namespace Acme;\n\npublic class Orders\n{\n    public void Search()\n    {\n        var name = System.Console.ReadLine();\n        Find(\"SELECT * FROM T WHERE Name = '\" + name + \"'\");\n    }\n\n"
            + "    private void Find(string sql)\n    {\n        cmd." + property + " = sql;\n    }\n}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Orders.cs", null, head));
        var call = Assert.Single(report.Findings, f => f.RuleId == "RB3001" && f.StartLine == 8);
        Assert.Equal(Severity.High, call.Severity);
        Assert.EndsWith("(through Find(), called here)", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_32_calls_of_a_member_are_followed_into_helpers_however_many_helpers_the_type_has()
    {
        var helpers = string.Concat(Enumerable.Range(0, 20).Select(i => $"    private void Find{i}(string name) => cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n"));
        var calls = string.Concat(Enumerable.Range(0, 40).Select(i => $"        Find{i % 20}(name + \"{i}\");\n"));
        var head = $"namespace Acme;\n\npublic class Orders\n{{\n{helpers}\n    public void Search()\n    {{\n        var name = System.Console.ReadLine();\n{calls}    }}\n}}\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Orders.cs", null, head));
        Assert.Equal(ReviewBot.Core.Risk.Analysis.HelperCalls.MaxCallsFollowed, report.Findings.Count(f => f.RuleId == "RB3001" && f.Message.EndsWith("called here)", StringComparison.Ordinal)));
    }
}

