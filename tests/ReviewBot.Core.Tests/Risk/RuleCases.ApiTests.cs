namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private const string Api = """
        namespace Acme.Billing;

        public class InvoiceService
        {
            public decimal Total(int invoiceId) => 0m;

            public void Send(int invoiceId, string email) { }

            private void Helper() { }
        }
        """;

    private const string Tests = """
        namespace Acme.Billing.Tests;

        public class InvoiceTests
        {
            [Fact]
            public void Totals_add_up()
            {
                var total = 1 + 1;
                Assert.Equal(2, total);
                Assert.True(total > 0);
            }

            [Fact]
            public void Sends_mail() => Assert.NotNull("x");
        }
        """;

    private static void ApiAndTests()
    {
        // RB5001 public API removed
        Positive("RB5001", "public method removed", Cs("src/Billing/InvoiceService.cs",
            Api.Replace("public void Send(int invoiceId, string email) { }", "public void Send(int invoiceId, string email) { } //!"),
            Api.Replace("    public void Send(int invoiceId, string email) { }\n", "")));
        Positive("RB5001", "public type deleted with its file (members not repeated)", Cs("src/Billing/InvoiceService.cs",
            Api.Replace("public class InvoiceService", "public class InvoiceService //!"), null));
        Negative("RB5001", "private method removed", Cs("src/Billing/InvoiceService.cs",
            Api, Api.Replace("    private void Helper() { }\n", "")));
        Negative("RB5001", "class moved to another file", Cs("src/Billing/InvoiceService.cs", Api, null), Added("src/Billing/Invoices/InvoiceService.cs", Api));
        InBase("RB5001", "method body changed", Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));

        // RB5002 signature changed
        PositiveAndInBase("RB5002", "parameter added, visibility reduced", Cs("src/Billing/InvoiceService.cs",
            Api,
            Api.Replace("public decimal Total(int invoiceId)", "public decimal Total(int invoiceId, bool withTax) //!")
               .Replace("public void Send(", "internal void Send( //!\n        ")));
        Positive("RB5002", "interface member added", Cs("src/Billing/IClock.cs",
            "namespace Acme;\n\npublic interface IClock\n{\n    DateTime Now { get; }\n}\n",
            "namespace Acme;\n\npublic interface IClock\n{\n    DateTime Now { get; }\n\n    TimeZoneInfo Zone { get; } //!\n}\n"));
        Negative("RB5002", "overload added and internal class changed", Cs("src/Billing/InvoiceService.cs",
            Api + "\ninternal class Hidden { public void M(int a) { } }\n",
            Api.Replace("    private void Helper() { }\n", "    public decimal Total(int invoiceId, bool withTax) => 1m;\n\n    private void Helper() { }\n")
                + "\ninternal class Hidden { public void M(long a) { } }\n"));

        // RB6001 suppression added
        PositiveAndInBase("RB6001", "#pragma and [SuppressMessage]", Cs("src/Data/Query.cs",
            InMethod("        var x = 1;"),
            InMethod("#pragma warning disable CA2100 //!\n        var x = 1;\n#pragma warning restore CA2100",
                attributes: "    [SuppressMessage(\"Design\", \"CA1031:DoNotCatchGeneralExceptionTypes\")] //!\n")));
        Negative("RB6001", "#pragma restore only", Cs("src/Data/Query.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 2;\n#pragma warning restore CA2100")));

        // RB6002 analyzer severity lowered
        Positive("RB6002", ".editorconfig severity lowered", new TestFile(".editorconfig",
            "root = true\n[*.cs]\ndotnet_diagnostic.CA2100.severity = error\n",
            "root = true\n[*.cs]\ndotnet_diagnostic.CA2100.severity = none #!\ndotnet_diagnostic.IDE0055.severity = suggestion #!\n"));
        Positive("RB6002", "<NoWarn> and TreatWarningsAsErrors=false", new TestFile("src/App/App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <NoWarn>CS1591</NoWarn>\n  </PropertyGroup>\n</Project>\n",
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <NoWarn>CS1591;CA5351</NoWarn> <!--!-->\n    <TreatWarningsAsErrors>false</TreatWarningsAsErrors> <!--!-->\n  </PropertyGroup>\n</Project>\n"));
        Negative("RB6002", "severity raised", new TestFile(".editorconfig",
            "[*.cs]\ndotnet_diagnostic.CA2100.severity = warning\n",
            "[*.cs]\ndotnet_diagnostic.CA2100.severity = error\n"));
        InBase("RB6002", "NoWarn already there", new TestFile("src/App/App.csproj",
            "<Project>\n  <PropertyGroup>\n    <NoWarn>CS1591;CA5351</NoWarn>\n  </PropertyGroup>\n</Project>\n",
            "<Project>\n  <PropertyGroup>\n    <NoWarn>CS1591;CA5351</NoWarn>\n    <Version>2.0.0</Version>\n  </PropertyGroup>\n</Project>\n"));

        // RB6003 test skipped
        PositiveAndInBase("RB6003", "[Fact(Skip = ...)]", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests, Tests.Replace("    [Fact]\n    public void Totals", "    [Fact(Skip = \"flaky\")] //!\n    public void Totals")));
        Negative("RB6003", "skip removed", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests.Replace("    [Fact]\n    public void Totals", "    [Fact(Skip = \"flaky\")]\n    public void Totals"), Tests));

        // RB6004 assertions removed
        Positive("RB6004", "Assert.True removed, Assert.Equal edited", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests.Replace("        Assert.True(total > 0);", "        Assert.True(total > 0); //!"),
            Tests.Replace("        Assert.True(total > 0);\n", "").Replace("Assert.Equal(2, total)", "Assert.Equal(2, total + 0)")));
        Negative("RB6004", "assertion added", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests, Tests.Replace("        Assert.True(total > 0);", "        Assert.True(total > 0);\n        Assert.False(total < 0);")));
        InBase("RB6004", "assertion already missing in base", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests.Replace("        Assert.True(total > 0);\n", ""), Tests.Replace("        Assert.True(total > 0);\n", "").Replace("1 + 1", "2")));

        // RB6005 tests deleted
        Positive("RB6005", "test method and test file deleted while product code changed",
            Cs("tests/Acme.Tests/InvoiceTests.cs",
                Tests.Replace("    public void Sends_mail()", "    public void Sends_mail() //!"),
                Tests.Replace("\n    [Fact]\n    public void Sends_mail() => Assert.NotNull(\"x\");\n", "")),
            Cs("tests/Acme.Tests/OtherTests.cs", "namespace T; //!\npublic class OtherTests { [Fact] public void A() { } }\n", null),
            Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));
        Negative("RB6005", "tests deleted, no product code changed",
            Cs("tests/Acme.Tests/InvoiceTests.cs", Tests, Tests.Replace("\n    [Fact]\n    public void Sends_mail() => Assert.NotNull(\"x\");\n", "")));
        InBase("RB6005", "test renamed by moving its file", Cs("tests/Acme.Tests/InvoiceTests.cs", Tests, null),
            Added("tests/Acme.Tests/Billing/InvoiceTests.cs", Tests), Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));

        // RB8001 complexity
        const string Simple = "        if (id > 0) { Run(input, id - 1); }";
        var complex = string.Join("\n", Enumerable.Range(1, 13).Select(i => $"        if (id == {i} && input != null) {{ Run(input, 0); }}"));
        Positive("RB8001", "method grows past 25", Cs("src/Flow/Service.cs",
            InMethod(Simple), InMethod(complex).Replace("public void Run(string input, int id)", "public void Run(string input, int id) //!")));
        var moderate = string.Join("\n", Enumerable.Range(1, 7).Select(i => $"        if (id == {i} && input != null) {{ Run(input, 0); }}"));
        Negative("RB8001", "complexity 15, under the default threshold 25", Cs("src/Flow/Service.cs", InMethod(Simple), InMethod(moderate)));
        Negative("RB8001", "small growth", Cs("src/Flow/Service.cs", InMethod(Simple), InMethod(Simple + "\n        if (id < 0) { return; }")));
        InBase("RB8001", "already complex in base", Cs("src/Flow/Service.cs", InMethod(complex), InMethod(complex + "\n        Run(input, 1);")));
    }
}
