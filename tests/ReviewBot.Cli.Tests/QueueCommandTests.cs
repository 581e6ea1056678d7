using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Tests;

/// <summary>`reviewbot queue list|retry|drop` over a real SQLite queue written the way `reviewbot serve` writes it.</summary>
public sealed class QueueCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-queue-cli-").FullName;
    private string Db => Path.Combine(_dir, "reviewbot.db");

    public QueueCommandTests()
    {
        using var database = SqliteDatabase.Open(Db);
        var queue = new SqliteWorkQueue(database, TimeProvider.System, Options.Create(new StorageOptions()));
        queue.AcceptAsync("github", "d-1", [Request(7, "d-1"), Request(8, "d-1")]).GetAwaiter().GetResult();
        queue.AcceptAsync("github", "d-2", [Request(9, "d-2")]).GetAwaiter().GetResult();
        var poison = queue.LeaseAsync(1, new HashSet<string>()).GetAwaiter().GetResult().Single(); // #7
        queue.PoisonAsync(poison, "HttpRequestException: 502 Bad Gateway").GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
    }

    private static ReviewRequest Request(long number, string delivery) => new()
    {
        Platform = Platform.GitHub,
        Repository = "acme/api",
        Number = number,
        HeadSha = new string('a', 40),
        DeliveryId = delivery,
        Event = "pull_request.synchronize",
    };

    [Fact]
    public void List_shows_every_item_with_its_state_and_last_error()
    {
        var (code, stdout, _) = Run("queue", "list", "--db", Db);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("poison", lines[1], StringComparison.Ordinal);
        Assert.Contains("github:acme/api#7", lines[1], StringComparison.Ordinal);
        Assert.Contains("502 Bad Gateway", lines[1], StringComparison.Ordinal);
        Assert.Contains("ready", lines[2], StringComparison.Ordinal);
        Assert.Contains("github:acme/api#9", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void List_json_prints_one_object_per_line_and_poison_narrows_it()
    {
        var (code, stdout, _) = Run("queue", "list", "--db", Db, "--poison", "--json");

        Assert.Equal(0, code);
        var line = Assert.Single(stdout.TrimEnd().Split(Environment.NewLine));
        using var item = JsonDocument.Parse(line);
        Assert.Equal("poison", item.RootElement.GetProperty("state").GetString());
        Assert.Equal("github:acme/api#7", item.RootElement.GetProperty("key").GetString());
        Assert.Equal(1, item.RootElement.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public void Retry_makes_a_poison_item_ready_again_with_a_fresh_attempt_count()
    {
        var id = PoisonId();

        var (code, stdout, _) = Run("queue", "retry", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", Db);

        Assert.Equal(0, code);
        Assert.Equal("1 item(s) requeued", stdout.Trim());
        var (_, json, _) = Run("queue", "list", "--db", Db, "--json");
        using var first = JsonDocument.Parse(json.Split(Environment.NewLine)[0]);
        Assert.Equal(("ready", 0), (first.RootElement.GetProperty("state").GetString(), first.RootElement.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public void Drop_all_poison_removes_only_poison_items()
    {
        var (code, stdout, _) = Run("queue", "drop", "--all-poison", "--db", Db);

        Assert.Equal(0, code);
        Assert.Equal("1 item(s) dropped", stdout.Trim());
        var (_, list, _) = Run("queue", "list", "--db", Db, "--json");
        Assert.Equal(2, list.TrimEnd().Split(Environment.NewLine).Length);
    }

    [Theory]
    [InlineData("queue list --db {missing}", "no database at")]
    [InlineData("queue retry 999 --db {db}", "no work item with id 999")]
    [InlineData("queue drop --db {db}", "name item ids or pass --all-poison")]
    [InlineData("queue retry 1 --all-poison --db {db}", "name item ids or pass --all-poison")]
    public void Mistakes_exit_2_with_one_line(string command, string message)
    {
        var args = command.Replace("{missing}", Path.Combine(_dir, "missing.db"), StringComparison.Ordinal)
            .Replace("{db}", Db, StringComparison.Ordinal).Split(' ');

        var (code, _, stderr) = Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, Assert.Single(stderr.TrimEnd().Split(Environment.NewLine)), StringComparison.Ordinal);
    }

    private long PoisonId()
    {
        var (_, json, _) = Run("queue", "list", "--db", Db, "--poison", "--json");
        using var item = JsonDocument.Parse(json.Trim());
        return item.RootElement.GetProperty("id").GetInt64();
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => InProcessCli.Run(args);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a pooled handle may still be closing; it is a temp directory
        }
    }
}
