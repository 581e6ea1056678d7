namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// Regression cases for the false findings of the precision study (docs/risk-accuracy.md), each written anew
/// after the shape of the real code: renamed members keep their identity, rewritten assertions are not removals,
/// names are read through their declared types.
/// </summary>
public static partial class RuleCases
{
    private const string Handler = """
        namespace Shop.Web;

        public class CheckoutController : Controller
        {
            [HttpPost, IgnoreAntiforgeryToken]
            public IActionResult Confirm(int orderId)
            {
                var order = orders.Find(orderId);
                order.Confirm();
                return Ok(order.Number);
            }
        }
        """;

    private static void Precision()
    {
        // A renamed action keeps its identity: its attributes are not new.
        InBase("RB1003", "action renamed, attribute already there", Cs("Web/CheckoutController.cs",
            Handler, Handler.Replace("Confirm(int orderId)", "ConfirmOrder(int orderId)")));
        Positive("RB1003", "renamed action gains the attribute", Cs("Web/CheckoutController.cs",
            Handler.Replace("[HttpPost, IgnoreAntiforgeryToken]", "[HttpPost]"),
            Handler.Replace("Confirm(int orderId)", "ConfirmOrder(int orderId)").Replace("[HttpPost, IgnoreAntiforgeryToken]", "[HttpPost, IgnoreAntiforgeryToken] //!")));

        // A test renamed only in case, already skipped, is not newly skipped; a renamed test is not a deleted test.
        var skipped = Tests.Replace("    [Fact]\n    public void Totals", "    [Fact(Skip = \"slow on CI\")]\n    public void Totals");
        InBase("RB6003", "skipped test renamed (case only)", Cs("tests/Acme.Tests/InvoiceTests.cs",
            skipped, skipped.Replace("Totals_add_up", "Totals_Add_Up")));
        InBase("RB6005", "test method renamed while product code changed", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests, Tests.Replace("Totals_add_up", "Sum_of_lines_is_the_total")), Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));

        // Tests of a feature deleted with it are not weakening.
        const string Exporter = "namespace Acme.Billing;\n\npublic class CsvExporter\n{\n    public string Export(int id) => id.ToString();\n}\n";
        const string ExporterTests = "namespace Acme.Billing.Tests;\n\npublic class CsvExporterTests\n{\n    [Fact]\n    public void Writes_the_id() => Assert.Equal(\"1\", new CsvExporter().Export(1));\n}\n";
        Negative("RB6005", "feature and its tests deleted together", Cs("src/Billing/CsvExporter.cs", Exporter, null),
            Cs("tests/Acme.Tests/CsvExporterTests.cs", ExporterTests, null), Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));

        // Assertions rewritten to another form of the same check are not removed.
        const string Rewritten = "namespace T;\n\npublic class ListTests\n{\n    [Fact]\n    public void Keeps_items()\n    {\n        var items = Load();\n{0}\n    }\n}\n";
        Negative("RB6004", "IsTrue → True, False(Contains) → DoesNotContain", Cs("tests/T/ListTests.cs",
            Rewritten.Replace("{0}", "        Assert.IsTrue(items.Count > 0);\n        Assert.False(items.Contains(\"gone\"));"),
            Rewritten.Replace("{0}", "        Assert.True(items.Count > 0);\n        Assert.DoesNotContain(\"gone\", items);")));

        // GetProperty: reflection only on a Type.
        Negative("RB3005", "JsonElement.GetProperty and a local helper named GetProperty", Cs("src/Api/Reader.cs",
            InMethod("        var x = 1;"),
            InMethod("        JsonElement root = Parse(input);\n        var value = root.GetProperty(input);\n        var other = GetProperty(input);")));
        PositiveAndInBase("RB3005", "GetProperty on typeof and on a parameter declared Type", Cs("src/Api/Binder.cs",
            InMethod("        var x = 1;"),
            InMethod("        var p = typeof(Service).GetProperty(input); //!", members: "    public object? Find(Type target, string name) => target.GetMethod(name); //!\n\n")));

        // .Result: a DTO named like a task, and a task already awaited, do not block.
        Negative("RB4004", ".Result of a DTO and of an awaited task", Cs("src/Jobs/Poller.cs",
            InMethod("        var x = 1;"),
            InMethod("        McpTask task = Next();\n        var state = task.Result;")
                + "\npublic class Later\n{\n    public async Task<int> Both(Task<int> first, Task<int> second)\n    {\n        await Task.WhenAll(first, second);\n        return first.Result + second.Result;\n    }\n}\n"));

        // Unsafe.SizeOf only measures.
        Negative("RB4001", "Unsafe.SizeOf", Cs("src/Buffers/Pool.cs",
            InMethod("        var x = 1;"),
            InMethod("        var size = Unsafe.SizeOf<long>() * id;")));

        // A SemaphoreSlim is a lock whatever its field is called.
        Positive("RB4005", "SemaphoreSlim wait removed (field not named like a lock)", Cs("src/Cache/Store.cs",
            "namespace C;\n\npublic class Store\n{\n    private readonly SemaphoreSlim throttle = new(1);\n\n    public async Task Save()\n    {\n        await throttle.WaitAsync(); //!\n        Write();\n    }\n}\n",
            "namespace C;\n\npublic class Store\n{\n    private readonly SemaphoreSlim throttle = new(1);\n\n    public async Task Save()\n    {\n        Write();\n    }\n}\n"));

        // xUnit's conditional skip still runs where the condition holds.
        Negative("RB6003", "SkipUnless: a conditional skip", Cs("tests/Acme.Tests/InvoiceTests.cs",
            Tests, Tests.Replace("    [Fact]\n    public void Totals", "    [Fact(Skip = \"needs a database\", SkipUnless = nameof(HasDatabase))]\n    public void Totals")));

        // An empty catch that says why, before a rethrow, is deliberate; a comment alone is not enough.
        Negative("RB4006", "commented empty catch of a cleanup before a rethrow", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        try\n        {\n            Load();\n        }\n        catch (IOException)\n        {\n            try\n            {\n                Cleanup();\n            }\n            catch (IOException)\n            {\n                // best effort: the original failure is rethrown below\n            }\n\n            throw;\n        }")));
        Positive("RB4006", "commented empty catch that swallows", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        try\n        {\n            Load();\n        }\n        catch (IOException) //!\n        {\n            // nothing to do\n        }")));

        // Removing what was announced as going away is not a break.
        Negative("RB5001", "[Obsolete] member removed", Cs("src/Billing/InvoiceService.cs",
            Api.Replace("    public void Send(", "    [Obsolete(\"use SendAsync\")]\n    public void Send("),
            Api.Replace("    public void Send(int invoiceId, string email) { }\n", "")));

        // A type renamed across signatures is one finding, on the first signature.
        const string Uses = "namespace Acme;\n\npublic class Orders\n{\n    public void Add(OrderLine line) { }\n\n    public void Remove(OrderLine line) { }\n\n    public OrderLine? Find(int id) => null;\n}\n";
        Positive("RB5002", "one type renamed in three signatures: one finding", Cs("src/Acme/Orders.cs",
            Uses, Uses.Replace("OrderLine", "LineItem").Replace("public void Add(", "public void Add( //!\n        ")));

        // Guid.NewGuid() for an id, next to a password field in the same initializer, is an id.
        Negative("RB2005", "Guid for an Id beside ResetPasswordKey", Cs("tests/Acme.Tests/Builders.cs",
            InMethod("        var x = 1;"),
            InMethod("        var user = new OrganizationUser { Id = Guid.NewGuid(), ResetPasswordKey = null };")));
        PositiveAndInBase("RB2005", "Guid for a reset token", Cs("src/Acme/Reset.cs",
            InMethod("        var x = 1;"),
            InMethod("        var request = new ResetRequest { ResetToken = Guid.NewGuid().ToString() }; //!")));

        // Lock files are written by restore.
        Negative("RB7006", "packages.lock.json changed", new TestFile("src/App/packages.lock.json", "{ \"version\": 1 }\n", "{ \"version\": 2 }\n"));

        // GetResult on a task checked complete just before does not block.
        Negative("RB4004", "GetResult after IsCompleted", Cs("src/Jobs/Poller.cs",
            InMethod("        var x = 1;"),
            InMethod("        var task = RunAsync();\n        Debug.Assert(task.IsCompleted);\n        task.GetAwaiter().GetResult();")));

        // Spread alone (many folders, few lines) is not a large change.
        Negative("RB8002", "six folders, one line each", [.. Enumerable.Range(0, 6).Select(i => new TestFile($"d{i}/notes.txt", "a\n", "b\n"))]);

        // A test moved with its file (renamed by git) into a renamed class and namespace is not deleted.
        InBase("RB6005", "test moved into a renamed class", new TestFile("tests/Acme.Tests/Billing/BillingTests.cs", Tests,
                Tests.Replace("InvoiceTests", "BillingTests").Replace("Acme.Billing.Tests", "Acme.Billing.Tests.Billing"), PreviousPath: "tests/Acme.Tests/InvoiceTests.cs"),
            Cs("src/Billing/InvoiceService.cs", Api, Api.Replace("=> 0m", "=> 1m")));

        // Changing an [Experimental] member's signature is what experimental means; a comment in a props file is not build logic.
        Negative("RB5002", "[Experimental] member's signature changed", Cs("src/Billing/InvoiceService.cs",
            Api.Replace("    public decimal Total(", "    [Experimental(\"ACME001\")]\n    public decimal Total("),
            Api.Replace("    public decimal Total(int invoiceId)", "    [Experimental(\"ACME001\")]\n    public decimal Total(long invoiceId)")));
        Negative("RB7002", "comment edited in Directory.Build.props", new TestFile("tests/Directory.Build.props",
            "<Project>\n  <!-- test settings -->\n  <PropertyGroup><NoWarn>X1</NoWarn></PropertyGroup>\n</Project>\n",
            "<Project>\n  <!-- settings for every test project -->\n  <PropertyGroup><NoWarn>X1</NoWarn></PropertyGroup>\n</Project>\n"));

        // File-based apps: #:package lines are dependencies.
        // (The shebang line is left out here: "#!" is also the YAML marker; AnalyzerBehaviourTests covers it.)
        PositiveAndInBase("RB7001", "#:package in a file-based app", Cs("tools/seed.cs",
            "#:property Nullable=enable\nConsole.WriteLine(1);\n",
            "#:property Nullable=enable\n#:package Humanizer@2.14.1 //!\nConsole.WriteLine(1);\n"));
        Negative("RB7001", "#:property changed", Cs("tools/seed.cs",
            "#:property Nullable=enable\nConsole.WriteLine(1);\n",
            "#:property Nullable=disable\nConsole.WriteLine(1);\n"));

        ApiWidening();
    }

    /// <summary>
    /// Held-out round 2: signature changes that break no caller or implementer compiled against the base are not
    /// RB5002 (an API-controller action made virtual, a validator class gaining an interface, a read-only property's
    /// private setter dropped, an enum value written out with the value it had); their breaking twins still are.
    /// </summary>
    private static void ApiWidening()
    {
        const string Reports = "namespace Acme.Reports;\n\npublic class ReportsEndpoint\n{\n    public string Render(int id) => id.ToString();\n}\n";
        Negative("RB5002", "method made virtual", Cs("src/Acme/ReportsEndpoint.cs",
            Reports, Reports.Replace("public string Render", "public virtual string Render")));
        Positive("RB5002", "method no longer virtual: overriders break", Cs("src/Acme/ReportsEndpoint.cs",
            Reports.Replace("public string Render", "public virtual string Render"), Reports.Replace("public string Render", "public string Render //!\n        ")));

        const string Rule = "namespace Acme.Rules;\n\npublic class RangeRule<T> : RuleBase<T>\n{\n    public int Min { get; private set; }\n}\n";
        Negative("RB5002", "interface added to a class's base list", Cs("src/Acme/RangeRule.cs",
            Rule, Rule.Replace(": RuleBase<T>", ": RuleBase<T>, IRangeRule, IComparable<RangeRule<T>>")));
        Positive("RB5002", "base type dropped from a class's base list", Cs("src/Acme/RangeRule.cs",
            Rule.Replace(": RuleBase<T>", ": RuleBase<T>, IRangeRule"), Rule.Replace("public class RangeRule<T>", "public class RangeRule<T> //!\n   ")));
        const string Contract = "namespace Acme.Rules;\n\npublic interface IRule : IValidator\n{\n    string Name { get; }\n}\n";
        Positive("RB5002", "base interface added to an interface: implementers must add its members", Cs("src/Acme/IRule.cs",
            Contract, Contract.Replace("public interface IRule : IValidator", "public interface IRule : IValidator, IAsyncValidator //!\n   ")));
        Negative("RB5002", "private setter removed from a public property", Cs("src/Acme/RangeRule.cs",
            Rule, Rule.Replace("{ get; private set; }", "{ get; }")));
        Positive("RB5002", "public setter removed from a public property", Cs("src/Acme/RangeRule.cs",
            Rule.Replace("private set;", "set;"), Rule.Replace("public int Min { get; private set; }", "public int Min { get; } //!")));

        // Fresh set, round 5 (jbogard/MediatR, jellyfin/jellyfin): a setter added to a public property, and an explicit
        // parameterless constructor replaced by the compiler's implicit one, break nobody.
        Negative("RB5002", "setter added to a public property", Cs("src/Acme/RangeRule.cs",
            Rule.Replace("{ get; private set; }", "{ get; }"), Rule.Replace("{ get; private set; }", "{ get; set; }")));
        Negative("RB5002", "init accessor added to a public property", Cs("src/Acme/RangeRule.cs",
            Rule.Replace("{ get; private set; }", "{ get; }"), Rule.Replace("{ get; private set; }", "{ get; init; }")));
        Positive("RB5002", "setter added to an interface property: implementers must add it", Cs("src/Acme/IRule.cs",
            Contract, Contract.Replace("string Name { get; }", "string Name { get; set; } //!")));
        const string Folder = "namespace Acme.Media;\n\npublic class Folder\n{\n    public Folder() //!\n    {\n        Children = [];\n    }\n\n    public string[] Children { get; set; }\n}\n";
        var initialized = Folder.Replace("    public Folder() //!\n    {\n        Children = [];\n    }\n\n", "").Replace("{ get; set; }", "{ get; set; } = [];");
        var unmarked = RiskTestKit.StripMarkers(Folder);
        Negative("RB5001", "explicit parameterless constructor replaced by the implicit one", Cs("src/Acme/Folder.cs", unmarked, initialized));
        Negative("RB5001", "protected parameterless constructor of an abstract class removed", Cs("src/Acme/Folder.cs",
            unmarked.Replace("public class", "public abstract class").Replace("public Folder()", "protected Folder()"),
            initialized.Replace("public class", "public abstract class")));
        Positive("RB5001", "[SetsRequiredMembers] constructor removed: callers must now set the required members", Cs("src/Acme/Folder.cs",
            Folder.Replace("    public Folder() //!", "    [SetsRequiredMembers]\n    public Folder() //!").Replace("public string[] Children", "public required string[] Children"),
            initialized.Replace("public string[] Children", "public required string[] Children")));
        Positive("RB5002", "parameterless constructor replaced by one with parameters: no implicit one is left", Cs("src/Acme/Folder.cs",
            unmarked, initialized.Replace("    public string[] Children", "    public Folder(string[] children) => Children = children; //!\n\n    public string[] Children")));

        const string Mode = "namespace Acme;\n\npublic enum Cascade\n{\n    Continue,\n    Stop,\n}\n";
        Negative("RB5002", "enum values written out with the values they had", Cs("src/Acme/Cascade.cs",
            Mode, Mode.Replace("Continue,", "Continue = 0,").Replace("Stop,", "Stop = 1,")));
        Positive("RB5002", "enum value changed", Cs("src/Acme/Cascade.cs",
            Mode, Mode.Replace("Stop,", "Stop = 2, //!")));
    }
}
