namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private static void Injection()
    {
        // RB3001 SQL
        PositiveAndInBase("RB3001", "concatenation, interpolation via a local, ExecuteSqlRaw", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        using var cmd = new SqlCommand(\"SELECT * FROM Orders WHERE Name = '\" + input + \"'\", conn); //!\n        var sql = $\"DELETE FROM Orders WHERE Id = {id}\";\n        cmd.CommandText = sql; //!\n        db.Database.ExecuteSqlRaw(string.Format(\"UPDATE T SET A = {0}\", input)); //!")));
        Negative("RB3001", "parameterised and FromSql interpolation", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        using var cmd = new SqlCommand(\"SELECT * FROM Orders WHERE Name = @name\", conn);\n        cmd.Parameters.AddWithValue(\"@name\", input);\n        db.Orders.FromSql($\"SELECT * FROM Orders WHERE Id = {id}\");\n        cmd.CommandText = \"SELECT 1\" + \" FROM T\";")));
        Negative("RB3001", "SQL from const fragments (field, nested class, local)", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", members: "    private const string Select = \"SELECT * FROM Orders\";\n"),
            InMethod("        using var cmd = new SqlCommand(Select + \" WHERE Id = @id\", conn);\n        const string order = \" ORDER BY Id\";\n        cmd.CommandText = Select + order;\n        cmd.CommandText = Queries.ById + \" AND 1 = 1\";",
                members: "    private const string Select = \"SELECT * FROM Orders\";\n    private static class Queries { public const string ById = \"SELECT * FROM Orders WHERE Id = @id\"; }\n")));
        Positive("RB3001", "a parameter hides a const of the same name", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", members: "    private const string input = \"Orders\";\n"),
            InMethod("        using var cmd = new SqlCommand(\"SELECT * FROM \" + input, conn); //!", members: "    private const string input = \"Orders\";\n")));

        // RB3002 process
        PositiveAndInBase("RB3002", "Process.Start and ProcessStartInfo", Cs("Tools/Runner.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;\n        Process.Start(\"cmd.exe\", \"/c \" + input); //!\n        var psi = new ProcessStartInfo { FileName = \"git\", Arguments = input }; //!")));
        Negative("RB3002", "Process.GetCurrentProcess", Cs("Tools/Runner.cs",
            InMethod("        var x = 1;"),
            InMethod("        var id2 = Process.GetCurrentProcess().Id;")));
        Negative("RB3002", "constant command line through locals and a constant branch", Cs("Tools/Runner.cs",
            InMethod("        var x = 1;", members: "    private const bool Enabled = false;\n"),
            InMethod("        var tool = \"git\";\n        var args = \"status \" + \"--short\";\n        if (Enabled)\n        {\n            args = System.Console.ReadLine();\n        }\n\n        Process.Start(tool, args);",
                members: "    private const bool Enabled = false;\n")));
        Positive("RB3002", "console input through a local, a builder and a start info", Cs("Tools/Runner.cs",
            InMethod("        var x = 1;"),
            InMethod("        var line = System.Console.ReadLine();\n        var sb = new System.Text.StringBuilder(\"-c \");\n        sb.Append(line);\n        var psi = new ProcessStartInfo(\"sh\");\n        psi.Arguments = sb.ToString();\n        Process.Start(psi); //!")));

        // RB3003 dynamic code
        PositiveAndInBase("RB3003", "scripting and CodeDom", Cs("Rules/Evaluator.cs",
            InMethod("        var x = 1;"),
            InMethod("        var result = CSharpScript.EvaluateAsync<int>(input); //!\n        var provider = new CSharpCodeProvider(); //!")));
        Negative("RB3003", "compiled expression from constants", Cs("Rules/Evaluator.cs",
            InMethod("        var x = 1;"),
            InMethod("        var result = int.Parse(input);")));

        // RB3004 assembly loading
        PositiveAndInBase("RB3004", "Assembly.LoadFrom and LoadFromAssemblyPath", Cs("Plugins/Loader.cs",
            InMethod("        var x = 1;"),
            InMethod("        var asm = Assembly.LoadFrom(input); //!\n        var other = context.LoadFromAssemblyPath(\"/opt/plugins/p.dll\"); //!")));
        Negative("RB3004", "typeof(...).Assembly", Cs("Plugins/Loader.cs",
            InMethod("        var x = 1;"),
            InMethod("        var asm = typeof(Service).Assembly;")));

        // RB3005 reflection
        PositiveAndInBase("RB3005", "Type.GetType(input), GetMethod(input), NonPublic", Cs("Plugins/Invoker.cs",
            InMethod("        var x = 1;"),
            InMethod("        var t = Type.GetType(input); //!\n        var m = t.GetMethod(input); //!\n        var f = t.GetField(\"x\", BindingFlags.NonPublic | BindingFlags.Instance); //!")));
        Negative("RB3005", "constant type names", Cs("Plugins/Invoker.cs",
            InMethod("        var x = 1;"),
            InMethod("        var t = Type.GetType(\"System.String\");\n        var m = typeof(string).GetMethod(nameof(string.Trim));")));

        // RB3006 path traversal
        PositiveAndInBase("RB3006", "controller action and uploaded file name", Cs("Api/FilesController.cs",
            "public class FilesController : ControllerBase\n{\n    public IActionResult Get(string name) => Ok();\n}\n",
            "public class FilesController : ControllerBase\n{\n    public IActionResult Get(string name) => PhysicalFile(Path.Combine(Root, name), \"text/plain\"); //!\n\n    public void Upload(IFormFile file)\n    {\n        using var s = new FileStream(Path.Combine(Root, file.FileName), FileMode.Create); //!\n    }\n}\n"));
        Negative("RB3006", "containment checked", Cs("Api/FilesController.cs",
            "public class FilesController : ControllerBase\n{\n    public IActionResult Get(string name) => Ok();\n}\n",
            "public class FilesController : ControllerBase\n{\n    public IActionResult Get(string name)\n    {\n        var full = Path.GetFullPath(Path.Combine(Root, name));\n        if (!full.StartsWith(Root, StringComparison.Ordinal)) return BadRequest();\n        return PhysicalFile(full, \"text/plain\");\n    }\n}\n"));
        Negative("RB3006", "library method taking a path", Cs("Util/Files.cs",
            InMethod("        var x = 1;"),
            InMethod("        var text = File.ReadAllText(input);")));

        // RB3007 archive extraction
        PositiveAndInBase("RB3007", "entries extracted unchecked", Cs("Import/Unzip.cs",
            InMethod("        var x = 1;"),
            InMethod("        foreach (var entry in archive.Entries)\n        {\n            entry.ExtractToFile(Path.Combine(input, entry.FullName)); //!\n        }")));
        Negative("RB3007", "entries checked", Cs("Import/Unzip.cs",
            InMethod("        var x = 1;"),
            InMethod("        foreach (var entry in archive.Entries)\n        {\n            var target = Path.GetFullPath(Path.Combine(input, entry.FullName));\n            if (!target.StartsWith(input, StringComparison.Ordinal)) throw new IOException();\n            entry.ExtractToFile(target);\n        }")));

        // RB3008 insecure deserializer
        PositiveAndInBase("RB3008", "BinaryFormatter", Cs("Cache/Store.cs",
            InMethod("        var x = 1;"),
            InMethod("        var f = new BinaryFormatter(); //!\n        var o = f.Deserialize(stream);")));
        Negative("RB3008", "System.Text.Json", Cs("Cache/Store.cs",
            InMethod("        var x = 1;"),
            InMethod("        var o = JsonSerializer.Deserialize<Order>(input);")));

        // RB3009 type name handling
        PositiveAndInBase("RB3009", "TypeNameHandling.All", Cs("Cache/Json.cs",
            InMethod("        var s = new JsonSerializerSettings();"),
            InMethod("        var s = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All }; //!\n        var js = new JavaScriptSerializer(new SimpleTypeResolver()); //!")));
        Negative("RB3009", "TypeNameHandling.None", Cs("Cache/Json.cs",
            InMethod("        var s = new JsonSerializerSettings();"),
            InMethod("        var s = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };")));

        // RB3010 XXE
        PositiveAndInBase("RB3010", "DtdProcessing.Parse and XmlUrlResolver", Cs("Import/Xml.cs",
            InMethod("        var settings = new XmlReaderSettings();"),
            InMethod("        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse }; //!\n        var doc = new XmlDocument { XmlResolver = new XmlUrlResolver() }; //!")));
        Negative("RB3010", "DtdProcessing.Prohibit", Cs("Import/Xml.cs",
            InMethod("        var settings = new XmlReaderSettings();"),
            InMethod("        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };")));

        // RB3011 XSLT
        PositiveAndInBase("RB3011", "scripts enabled", Cs("Import/Xslt.cs",
            InMethod("        var t = new XslCompiledTransform();"),
            InMethod("        var t = new XslCompiledTransform();\n        t.Load(input, new XsltSettings(true, true), null); //!")));
        Negative("RB3011", "default settings", Cs("Import/Xslt.cs",
            InMethod("        var t = new XslCompiledTransform();"),
            InMethod("        var t = new XslCompiledTransform();\n        t.Load(input, XsltSettings.Default, null);")));

        // RB3012 LDAP
        PositiveAndInBase("RB3012", "filter interpolated", Cs("Auth/Directory.cs",
            InMethod("        var x = 1;"),
            InMethod("        var searcher = new DirectorySearcher($\"(&(objectClass=user)(sAMAccountName={input}))\"); //!\n        searcher.Filter = \"(cn=\" + input + \")\"; //!")));
        Negative("RB3012", "constant filter", Cs("Auth/Directory.cs",
            InMethod("        var x = 1;"),
            InMethod("        var searcher = new DirectorySearcher(\"(objectClass=user)\");")));

        // RB3013 raw HTML
        PositiveAndInBase("RB3013", "Html.Raw and MarkupString of data", Cs("Web/Render.cs",
            InMethod("        var x = 1;"),
            InMethod("        var a = Html.Raw(input); //!\n        var b = (MarkupString)input; //!")));
        Negative("RB3013", "constant markup", Cs("Web/Render.cs",
            InMethod("        var x = 1;"),
            InMethod("        var a = Html.Raw(\"<br/>\");\n        var b = Html.Encode(input);")));

        // RB3014 backdoor heuristics
        PositiveAndInBase("RB3014", "time bomb and Base64 payload", Cs("Billing/Licence.cs",
            InMethod("        var x = 1;"),
            InMethod("        if (DateTime.UtcNow > new DateTime(2027, 1, 1)) //!\n        {\n            Environment.SetEnvironmentVariable(\"X\", \"1\");\n        }\n        var blob = Convert.FromBase64String(\"" + new string('A', 160) + "\"); //!")));
        Negative("RB3014", "clock compared with a configured date", Cs("Billing/Licence.cs",
            InMethod("        var x = 1;"),
            InMethod("        if (DateTime.UtcNow > options.ExpiresAt) { }\n        var small = Convert.FromBase64String(\"AAAA\");")));
        Positive("RB3014", "clock and date through locals", Cs("Billing/Licence.cs",
            InMethod("        var x = 1;"),
            InMethod("        var now = DateTime.Now;\n        var end = new DateTime(2030, 1, 1);\n        if (now > end) //!\n        {\n            File.Delete(\"/srv/data.db\");\n        }")));
        PositiveAndInBase("RB3014", "peer host name and address compared with literals (==, Equals with or without a comparison, through a local)", Cs("Net/Admin.cs",
            InMethod("        var x = 1;"),
            InMethod("        var entry = Dns.GetHostEntry(client.RemoteEndPoint is IPEndPoint ep ? ep.Address : IPAddress.None);\n        if (entry.HostName.Equals(\"admin.example.com\")) //!\n        {\n            GrantAll();\n        }\n\n        if (HttpContext.Connection.RemoteIpAddress?.ToString() == \"10.20.30.40\") //!\n        {\n            GrantAll();\n        }\n\n        if (entry.HostName.Equals(\"ops.example.com\", StringComparison.OrdinalIgnoreCase)) //!\n        {\n            GrantAll();\n        }\n\n        var peer = Dns.GetHostEntry(address).HostName;\n        if (string.Equals(peer, \"build.example.com\", StringComparison.Ordinal)) //!\n        {\n            GrantAll();\n        }")));
        Negative("RB3014", "loopback checks (IPv4 and dual-stack), host name compared with configuration, own host name", Cs("Net/Admin.cs",
            InMethod("        var x = 1;"),
            InMethod("        if (HttpContext.Connection.RemoteIpAddress?.ToString() == \"127.0.0.1\")\n        {\n            GrantAll();\n        }\n\n        if (HttpContext.Connection.RemoteIpAddress?.ToString() == \"::ffff:127.0.0.1\")\n        {\n            GrantAll();\n        }\n\n        var entry = Dns.GetHostEntry(address);\n        if (entry.HostName == options.AdminHost)\n        {\n            GrantAll();\n        }\n\n        if (Environment.MachineName == \"build-01\")\n        {\n            Warn();\n        }")));
        PositiveAndInBase("RB3014", "short Base64 command decoded and started", Cs("Util/Setup.cs",
            InMethod("        var x = 1;"),
            InMethod("        byte[] data = Convert.FromBase64String(\"Y2FsYy5leGU=\"); //!\n        var command = Encoding.ASCII.GetString(data);\n        Process.Start(command);\n        string encoded = \"bm90ZXBhZC5leGU=\";\n        var bytes = Convert.FromBase64String(encoded); //!\n        Process.Start(new ProcessStartInfo(Encoding.UTF8.GetString(bytes)).FileName);")));
        Negative("RB3014", "short Base64 literal decoded into a key, a process started with other text", Cs("Util/Setup.cs",
            InMethod("        var x = 1;"),
            InMethod("        byte[] key = Convert.FromBase64String(\"c2VjcmV0LWtleQ==\");\n        var mac = new HMACSHA256(key);\n        Process.Start(\"notepad.exe\");")));
        Negative("RB3014", "an expiry notice only reports", Cs("Billing/Licence.cs",
            InMethod("        var x = 1;"),
            InMethod("        DateTime later;\n        var now = DateTime.Now;\n        var end = new DateTime(2030, 1, 1);\n        if (now > end)\n        {\n            Console.WriteLine(\"Your licence has expired.\");\n        }")));
    }
}
