using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// A realistic change written for this project: an "export and admin tools" feature added to an order
/// service, with the kinds of shortcuts that slip into generated code. Every marked line must be found,
/// with the marked rule, and nothing else may be reported in the C# files.
/// </summary>
public sealed class VulnerableSampleTests
{
    private const string BaseController = """
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Data.SqlClient;

        namespace Acme.Orders.Api;

        [ApiController]
        [Route("api/orders")]
        [Authorize]
        public sealed class OrdersController : ControllerBase
        {
            private readonly string connectionString;
            private readonly object sync = new();
            private static int exports;

            public OrdersController(IConfiguration configuration)
            {
                connectionString = configuration.GetConnectionString("Orders")!;
            }

            [HttpGet("{id:int}")]
            public async Task<IActionResult> Get(int id)
            {
                await using var connection = new SqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new SqlCommand("SELECT Id, Customer, Total FROM Orders WHERE Id = @id", connection);
                command.Parameters.AddWithValue("@id", id);
                await using var reader = await command.ExecuteReaderAsync();
                return reader.Read() ? Ok(new { Id = reader.GetInt32(0) }) : NotFound();
            }

            [Authorize(Roles = "Admin")]
            [HttpPost("export")]
            public IActionResult Export(string customer)
            {
                lock (sync)
                {
                    exports++;
                }

                return Accepted();
            }
        }
        """;

    private const string HeadController = """
        using System.Diagnostics;
        using System.Runtime.Serialization.Formatters.Binary;
        using System.Security.Cryptography;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Data.SqlClient;

        namespace Acme.Orders.Api;

        [ApiController]
        [Route("api/orders")]
        [Authorize]
        public sealed class OrdersController : ControllerBase
        {
            private const string ExportApiKey = "sk_live_51HcQ2xK9vR3mT7wZ"; //! RB2006
            private readonly string connectionString;
            private readonly object sync = new();
            private static int exports;

            public OrdersController(IConfiguration configuration)
            {
                connectionString = configuration.GetConnectionString("Orders")!;
            }

            [HttpGet("{id:int}")]
            public async Task<IActionResult> Get(int id)
            {
                await using var connection = new SqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new SqlCommand("SELECT Id, Customer, Total FROM Orders WHERE Id = @id", connection);
                command.Parameters.AddWithValue("@id", id);
                await using var reader = await command.ExecuteReaderAsync();
                return reader.Read() ? Ok(new { Id = reader.GetInt32(0) }) : NotFound();
            }

            [HttpGet("search")]
            [AllowAnonymous] //! RB1002
            public IActionResult Search(string customer, string sort)
            {
                using var connection = new SqlConnection(connectionString);
                connection.Open();
                var sql = $"SELECT Id, Total FROM Orders WHERE Customer = '{customer}' ORDER BY {sort}";
                using var command = new SqlCommand(sql, connection); //! RB3001
                return Ok(command.ExecuteScalar());
            }

            [HttpPost("export")]
            public IActionResult Export(string customer, string format) // an application's action (Sdk.Web): not public API
            {
                exports++;
                var file = Path.Combine("/var/exports", customer + "." + format);
                System.IO.File.WriteAllText(file, customer); //! RB3006
                Process.Start("/bin/sh", "-c \"gzip " + file + "\""); //! RB3002
                var checksum = Convert.ToHexString(MD5.HashData(System.IO.File.ReadAllBytes(file))); //! RB2002 RB3006
                return Ok(checksum);
            }

            [HttpPost("import")]
            public IActionResult Import()
            {
                try
                {
                    var formatter = new BinaryFormatter(); //! RB3008
                    var orders = formatter.Deserialize(Request.Body);
                    return Ok(orders);
                }
                catch (Exception) //! RB4006
                {
                }

                return BadRequest();
            }

            [HttpGet("report")]
            public IActionResult Report() => Ok(BuildReportAsync().Result); //! RB4004

            private async Task<string> BuildReportAsync()
            {
                await Task.Delay(1);
                using var client = new HttpClient(new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, _, _, _) => true, //! RB2001
                });
                return await client.GetStringAsync("https://reports.internal/api");
            }
        }
        """;

    [Fact]
    public async Task Every_planted_issue_is_found_on_its_line_and_nothing_else()
    {
        var baseMarked = BaseController.Replace("[Authorize(Roles = \"Admin\")]", "[Authorize(Roles = \"Admin\")] //! RB1001")
            .Replace("lock (sync)", "lock (sync) //! RB4005");
        var report = await RiskTestKit.AnalyzeAsync(
            new TestFile("src/Acme.Orders/Api/OrdersController.cs", baseMarked, HeadController),
            new TestFile("src/Acme.Orders/Acme.Orders.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Data.SqlClient\" Version=\"5.2.0\" />\n  </ItemGroup>\n</Project>\n",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <NoWarn>SYSLIB0011</NoWarn>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Data.SqlClient\" Version=\"5.2.0\" />\n    <PackageReference Include=\"System.Runtime.Serialization.Formatters\" Version=\"9.0.0\" />\n  </ItemGroup>\n</Project>\n"));

        var expected = Marks(baseMarked, Side.Base).Concat(Marks(HeadController, Side.Head)).ToHashSet();
        var actual = report.Findings.Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (f.RuleId, f.Side, f.StartLine)).ToHashSet();
        Assert.True(expected.SetEquals(actual),
            "missing: " + string.Join(", ", expected.Except(actual)) + "\nunexpected: " + string.Join(", ", actual.Except(expected)));

        Assert.Contains(report.Findings, f => f.RuleId == "RB6002" && f.Message.Contains("SYSLIB0011", StringComparison.Ordinal) && f.Severity == Severity.High);
        Assert.Contains(report.Findings, f => f.RuleId == "RB7001" && f.Message.Contains("System.Runtime.Serialization.Formatters", StringComparison.Ordinal));

        // Interpolated SQL with action parameters is tainted (high), and says where from; the report as a whole is critical.
        var sql = report.Findings.Single(f => f.RuleId == "RB3001");
        Assert.Equal(Severity.High, sql.Severity);
        Assert.Contains("action parameter 'customer'", sql.Message, StringComparison.Ordinal);
        Assert.Equal(RiskLevel.Critical, report.Level);
        Assert.True(report.Score >= 60, $"score {report.Score}");
        Assert.Empty(report.Notes);
    }

    private static IEnumerable<(string RuleId, Side Side, int Line)> Marks(string text, Side side)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf("//! ", StringComparison.Ordinal);
            if (at >= 0)
            {
                foreach (var id in lines[i][(at + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return (id, side, i + 1);
                }
            }
        }
    }
}
