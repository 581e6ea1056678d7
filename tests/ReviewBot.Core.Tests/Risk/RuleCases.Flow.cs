namespace ReviewBot.Core.Tests.Risk;

/// <summary>Cases of the rules that judge their sinks by the flow pass: sources, sanitizers, guards, constant branches.</summary>
public static partial class RuleCases
{
    private const string ControllerHead = "using Microsoft.AspNetCore.Mvc;\n\nnamespace Acme.App;\n\npublic class AccountController : Controller\n{\n";

    private static string InController(string members) => ControllerHead + members + "}\n";

    private static void Flow()
    {
        // RB1006 insecure cookie
        PositiveAndInBase("RB1006", "session cookie without Secure", Cs("Web/Session.cs",
            InMethod("        var x = 1;"),
            InMethod("        Response.Cookies.Append(\"session_id\", input); //!\n        var c = new HttpCookie(\"auth\", input);\n        Response.Cookies.Add(c); //!")));
        Negative("RB1006", "Secure cookie options, Secure set on the cookie, a cookie that carries no secret", Cs("Web/Session.cs",
            InMethod("        var x = 1;"),
            InMethod("        Response.Cookies.Append(\"session_id\", input, new CookieOptions { Secure = true, HttpOnly = true });\n        var c = new HttpCookie(\"auth\", input);\n        c.Secure = true;\n        Response.Cookies.Add(c);\n        Response.Cookies.Append(\"theme\", \"dark\");")));

        // RB3015 XPath
        PositiveAndInBase("RB3015", "query built from a parameter and from the query string", Cs("Data/Users.cs",
            InMethod("        var x = 1;"),
            InMethod("        var nav = doc.CreateNavigator();\n        var q = \"//user[name='\" + input + \"']\";\n        var r = nav.Evaluate(q); //!\n        var n = doc.SelectNodes(\"//user[@id='\" + Request.QueryString[\"id\"] + \"']\"); //!")));
        Negative("RB3015", "escaped value and constant query", Cs("Data/Users.cs",
            InMethod("        var x = 1;"),
            InMethod("        var n = doc.SelectNodes(\"//user[@id='\" + System.Security.SecurityElement.Escape(input) + \"']\");\n        var all = doc.SelectNodes(\"//user\");")));

        // RB3016 header injection
        PositiveAndInBase("RB3016", "header and cookie from request data", Cs("Web/Lang.cs",
            InMethod("        var x = 1;"),
            InMethod("        var lang = Request.QueryString[\"lang\"];\n        Response.AddHeader(\"Location\", \"/home?lang=\" + lang); //!\n        Response.Cookies.Append(\"lang\", lang); //!")));
        Negative("RB3016", "request data echoed into ASP.NET Core's header and cookie collections, which refuse CR/LF and escape cookies", Cs("Web/CorrelationMiddleware.cs",
            InMethod("        var x = 1;", usings: "using Microsoft.AspNetCore.Http;\n\n"),
            InMethod("        var id = Request.Headers[\"X-Request-Id\"].ToString();\n        Response.Headers[\"X-Request-Id\"] = id;\n        Response.Headers.Append(\"X-Trace\", id);\n        Response.Cookies.Append(\"lang\", Request.Query[\"lang\"]);", usings: "using Microsoft.AspNetCore.Http;\n\n")));
        Negative("RB3016", "URL-encoded and constant values", Cs("Web/Lang.cs",
            InMethod("        var x = 1;"),
            InMethod("        var lang = HttpUtility.UrlEncode(Request.QueryString[\"lang\"]);\n        Response.AddHeader(\"Location\", \"/home?lang=\" + lang);\n        Response.Headers[\"X-Frame-Options\"] = \"DENY\";")));

        // RB1007 open redirect
        PositiveAndInBase("RB1007", "action redirects to its parameter", Cs("Web/AccountController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public IActionResult Done(string returnUrl) => Redirect(returnUrl); //!\n")));
        Negative("RB1007", "local redirect, checked URL, unknown origin", Cs("Web/AccountController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public IActionResult Done(string returnUrl) => LocalRedirect(returnUrl);\n\n    public IActionResult Back(string returnUrl)\n    {\n        if (Url.IsLocalUrl(returnUrl))\n        {\n            return Redirect(returnUrl);\n        }\n\n        return Redirect(\"/\");\n    }\n\n    private IActionResult Home(string target) => Redirect(target);\n")));

        // RB3017 log forging
        PositiveAndInBase("RB3017", "console input concatenated into a message", Cs("Jobs/Import.cs",
            InMethod("        var x = 1;"),
            InMethod("        var name = System.Console.ReadLine();\n        logger.LogInformation(\"importing \" + name); //!")));
        Negative("RB3017", "message template, numeric value, unknown origin", Cs("Jobs/Import.cs",
            InMethod("        var x = 1;"),
            InMethod("        var name = System.Console.ReadLine();\n        logger.LogInformation(\"importing {Name}\", name);\n        var count = int.Parse(name);\n        logger.LogInformation($\"importing {count} rows\");\n        logger.LogInformation(\"run \" + input);")));

        // RB1008 SSRF
        PositiveAndInBase("RB1008", "action fetches the URL it was given", Cs("Web/AccountController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public async Task<IActionResult> Preview(string url) => Ok(await http.GetStringAsync(url)); //!\n")));
        Negative("RB1008", "host checked against an allow-list, constant URL, unknown origin", Cs("Web/AccountController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public async Task<IActionResult> Preview(string url)\n    {\n        if (!Allowed.Contains(url))\n        {\n            return BadRequest();\n        }\n\n        return Ok(await http.GetStringAsync(url));\n    }\n\n    public async Task<IActionResult> Status() => Ok(await http.GetStringAsync(\"https://status.example.com/\"));\n\n    private Task<string> Fetch(string address) => http.GetStringAsync(address);\n")));

        // RB2008 cleartext credentials
        PositiveAndInBase("RB2008", "password written to a TcpClient stream", Cs("Net/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = System.Environment.GetEnvironmentVariable(\"SYNC_PASSWORD\");\n        var client = new TcpClient(\"sync.example.com\", 7000);\n        var writer = new StreamWriter(client.GetStream());\n        writer.WriteLine(password); //!")));
        Negative("RB2008", "password written through TLS, non-secret data written in the clear", Cs("Net/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = System.Environment.GetEnvironmentVariable(\"SYNC_PASSWORD\");\n        var client = new TcpClient(\"sync.example.com\", 7000);\n        var tls = new SslStream(client.GetStream());\n        var writer = new StreamWriter(tls);\n        writer.WriteLine(password);\n        var plain = new StreamWriter(client.GetStream());\n        plain.WriteLine(\"HELLO\");")));

        // The member's text never says GetStream: the guard before the flow pass must not let an escaped name slip by.
        PositiveAndInBase("RB2008", "password written to a stream whose GetStream is spelled with a unicode escape", Cs("Net/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = System.Environment.GetEnvironmentVariable(\"SYNC_PASSWORD\");\n        var client = new TcpClient(\"sync.example.com\", 7000);\n        var writer = new StreamWriter(client.Get\\u0053tream());\n        writer.WriteLine(password); //!")));

        PositiveAndInBase("RB2008", "password put in a cookie as it is, through a local", Cs("Web/Login.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = Request.Form[\"password\"];\n        var remembered = user + \":\" + password;\n        Response.Cookies.Append(\"auth\", remembered); //!\n        Response.AppendCookie(new HttpCookie(\"pwd\", password)); //!")));
        Negative("RB2008", "hash of the password, a session token and a plain setting in cookies", Cs("Web/Login.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = Request.Form[\"password\"];\n        var hashed = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));\n        Response.Cookies.Append(\"auth\", hashed);\n        Response.Cookies.Append(\"session\", sessionToken);\n        Response.AppendCookie(new HttpCookie(\"theme\", theme));\n        Response.Cookies.Append(\"hint\", user.PasswordHash);")));

        // RB1009 exception details sent to the client
        PositiveAndInBase("RB1009", "stack trace written to the response and returned as content", Cs("Web/ReportController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public IActionResult Done() => Ok();\n\n    public async Task<IActionResult> Export(int id)\n    {\n        try\n        {\n            return Ok(await reports.Export(id));\n        }\n        catch (InvalidOperationException ex)\n        {\n            await Response.WriteAsync(ex.ToString()); //!\n            var detail = \"failed: \" + ex.StackTrace;\n            return Content(detail); //!\n        }\n    }\n")));
        Negative("RB1009", "generic message to the client, details to the log, a lambda parameter named like the exception, Message in a bad request", Cs("Web/ReportController.cs",
            InController("    public IActionResult Done() => Ok();\n"),
            InController("    public IActionResult Done() => Ok();\n\n    public async Task<IActionResult> Export(int id)\n    {\n        try\n        {\n            return Ok(await reports.Export(id));\n        }\n        catch (InvalidOperationException ex)\n        {\n            logger.LogError(ex, \"export failed\");\n            await Response.WriteAsync(\"The export failed.\");\n            await Response.WriteAsync(string.Join(\", \", errors.Select(ex => ex.Code)));\n            return BadRequest(ex.Message);\n        }\n    }\n")));

        // RB2006: a password kept in a plain file (CWE-256)
        Positive("RB2006", "password read from a plain file into a connection string and a NetworkCredential", Cs("Data/Db.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = Encoding.UTF8.GetString(File.ReadAllBytes(\"conf/db_password.txt\"));\n        using var conn = new SqlConnection(\"Server=db;User ID=sa;Password=\" + password); //!\n        var pw = File.ReadAllText(\"conf/smtp.txt\").Trim();\n        var cred = new NetworkCredential(\"svc\", pw); //!")));
        Negative("RB2006", "password decrypted after the read, read from a secrets mount, key file into a cipher", Cs("Data/Db.cs",
            InMethod("        var x = 1;"),
            InMethod("        var password = File.ReadAllText(\"conf/db_password.enc\");\n        password = Decrypt(password).ReadToEnd();\n        using var conn = new SqlConnection(\"Server=db;User ID=sa;Password=\" + password);\n        var mounted = File.ReadAllText(\"/run/secrets/db_password\");\n        using var other = new SqlConnection(\"Server=db;User ID=sa;Password=\" + mounted);\n        var key = File.ReadAllBytes(\"conf/key.bin\");\n        var enc = aes.CreateEncryptor(key, iv);")));

        // Flow through the existing injection rules
        Positive("RB3001", "request data through a builder into CommandText", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        var sb = new System.Text.StringBuilder(\"SELECT * FROM T WHERE Name = '\");\n        sb.Append(Request.Form[\"name\"]).Append(\"'\");\n        cmd.CommandText = sb.ToString(); //!")));
        Negative("RB3001", "numeric parse and an allow-list guard", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        var raw = System.Console.ReadLine();\n        var n = int.Parse(raw);\n        cmd.CommandText = \"SELECT * FROM T WHERE Id = \" + n;\n        var column = Request.Query[\"sort\"];\n        if (!Columns.Contains(column))\n        {\n            return;\n        }\n\n        cmd.CommandText = \"SELECT * FROM T ORDER BY \" + column;")));
        // Helpers of the same file are judged by what they return (ReturnSummaries)
        Positive("RB3001", "a helper that reads the console, and one that returns a literal password", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        var name = ReadName();\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\"; //!\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + this.ReadName() + \"'\"; //!",
                "    private string ReadName()\n    {\n        var line = System.Console.ReadLine();\n        return line.Trim();\n    }\n\n")));
        Positive("RB2006", "a literal password returned by a helper", Cs("Net/Mail.cs",
            InMethod("        var x = 1;"),
            InMethod("        var pw = Password();\n        var cred = new NetworkCredential(\"svc\", pw); //!",
                "    private static string Password()\n    {\n        string data;\n        data = \"7e5tc4s3\";\n        return data;\n    }\n\n")));
        Negative("RB3001", "helpers returning a constant, a number or an escaped value", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;"),
            InMethod("        cmd.CommandText = \"SELECT * FROM \" + Table();\n        cmd.CommandText = \"SELECT * FROM T WHERE Id = \" + ReadId();\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + Quoted(input) + \"'\";",
                "    private static string Table() { var t = \"users\"; return t; }\n\n    private int ReadId() => int.Parse(System.Console.ReadLine());\n\n    private static string Quoted(string s) => System.Security.SecurityElement.Escape(s);\n\n")));

        // Tainted data handed to a method of the same file and reaching a sink there: reported on the call (HelperCalls)
        PositiveAndInBase("RB3001", "console input passed to a helper, and left in a field a helper reads", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n"),
            InMethod("        var name = System.Console.ReadLine();\n        FindByName(name); //!\n        pending = Request.Form[\"name\"];\n        RunPending(); //!", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n")));
        PositiveAndInBase("RB3002", "a request value passed by name to a helper that starts it", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n"),
            InMethod("        this.Start(program: Request.Query[\"tool\"]); //!", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n")));
        Negative("RB3001", "constant, parsed and validated data passed to helpers; tainted data to a helper that does not use it in a sink", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n"),
            InMethod("        var raw = System.Console.ReadLine();\n        FindByName(\"admin\");\n        FindByName(int.Parse(raw).ToString());\n        if (Names.Contains(raw))\n        {\n            FindByName(raw);\n        }\n\n        pending = \"old\";\n        RunPending();\n        Log(raw);", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n    private void Log(string text) => logger.LogInformation(\"{Text}\", text);\n\n")));
        Negative("RB3001", "console input passed to a helper in a test file (the test's own data)", Cs("tests/Data/OrderRepositoryTests.cs",
            InMethod("        var x = 1;", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n"),
            InMethod("        var name = System.Console.ReadLine();\n        FindByName(name);", "    private void FindByName(string name)\n    {\n        cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n    }\n\n    private string pending;\n\n    private void RunPending()\n    {\n        var sql = \"DELETE FROM T WHERE Name = '\" + pending + \"'\";\n        cmd.CommandText = sql;\n    }\n\n    private void Start(string program) => System.Diagnostics.Process.Start(program);\n\n")));
        Negative("RB3001", "a helper a subclass may replace is not followed", Cs("Data/OrderRepository.cs",
            InMethod("        var x = 1;", "    protected virtual void Find(string name) => cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n\n"),
            InMethod("        Find(System.Console.ReadLine());", "    protected virtual void Find(string name) => cmd.CommandText = \"SELECT * FROM T WHERE Name = '\" + name + \"'\";\n\n")));

        Positive("RB3006", "environment variable into a path", Cs("Util/Files.cs",
            InMethod("        var x = 1;"),
            InMethod("        var dir = System.Environment.GetEnvironmentVariable(\"DATA\");\n        var text = File.ReadAllText(\"/srv/\" + dir); //!")));
        Negative("RB3006", "Path.GetFileName strips the folders", Cs("Util/Files.cs",
            InMethod("        var x = 1;"),
            InMethod("        var name = Path.GetFileName(System.Console.ReadLine());\n        var text = File.ReadAllText(\"/srv/\" + name);")));
        Positive("RB2006", "literal password through a local into NetworkCredential and a connection string", Cs("Net/Mail.cs",
            InMethod("        var x = 1;"),
            InMethod("        var pw = \"s3cr3t-Pa55\";\n        var cred = new NetworkCredential(\"svc\", pw, \"corp\"); //!\n        using var conn = new SqlConnection(\"Server=db;User ID=svc;Password=\" + pw); //!")));
        Negative("RB2006", "password read from configuration through a local", Cs("Net/Mail.cs",
            InMethod("        var x = 1;"),
            InMethod("        var pw = System.Environment.GetEnvironmentVariable(\"SMTP_PASSWORD\");\n        var cred = new NetworkCredential(\"svc\", pw, \"corp\");")));
    }
}
