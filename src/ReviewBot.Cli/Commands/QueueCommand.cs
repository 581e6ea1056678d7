using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Serialization;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// `reviewbot queue list|retry|drop`: the durable work queue of `reviewbot serve` (SQLite). Shows what waits, what a
/// worker holds and what became poison, and gives poison or stuck items another try or removes them.
/// </summary>
public static class QueueCommand
{
    public static Command Create()
    {
        var queue = new Command("queue", "Inspect and manage the durable review queue of `reviewbot serve` (SQLite store).");
        queue.Subcommands.Add(List());
        queue.Subcommands.Add(Manage("retry", "Make items due again with a fresh attempt count (poison items, or items a dead worker still holds).", (q, ids) => q.RetryAsync(ids), "requeued"));
        queue.Subcommands.Add(Manage("drop", "Remove items from the queue for good.", (q, ids) => q.DropAsync(ids), "dropped"));
        return queue;
    }

    private static Command List()
    {
        var list = new Command("list", "List queued work items, oldest first: ready, leased (a worker holds it) or poison.");
        var db = StoreFile.Option();
        var poison = new Option<bool>("--poison") { Description = "Only poison items." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of the table." };
        list.Options.Add(db);
        list.Options.Add(poison);
        list.Options.Add(json);
        list.SetAction(parse =>
        {
            var items = Open(parse.GetValue(db)).List(parse.GetValue(poison));
            var output = CliApp.Out(parse);
            if (parse.GetValue(json))
            {
                foreach (var item in items)
                {
                    output.WriteLine(JsonSerializer.Serialize(item, ReviewBotJson.Compact));
                }

                return ExitCodes.Success;
            }

            if (items.Count == 0)
            {
                output.WriteLine("the queue is empty");
                return ExitCodes.Success;
            }

            output.WriteLine($"{"ID",-8} {"STATE",-7} {"PULL REQUEST",-40} {"DELIVERY",-38} {"ATTEMPTS",8} {"FOLDED",6} {"DUE / LEASED UNTIL (UTC)",-24} LAST ERROR");
            foreach (var item in items)
            {
                var when = item.State == "leased" ? item.LeaseUntil : item.State == "ready" ? item.AvailableAt : null;
                output.WriteLine(
                    $"{item.Id,-8} {item.State,-7} {item.Key,-40} {item.DeliveryId,-38} {item.Attempts,8} {item.Folded,6} "
                    + $"{when?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",-24} {item.LastError ?? "-"}");
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Command Manage(string name, string description, Func<SqliteWorkQueue, IReadOnlyCollection<long>, Task<int>> action, string verb)
    {
        var command = new Command(name, description);
        var db = StoreFile.Option();
        var ids = new Argument<long[]>("id") { Description = "Item ids (first column of `queue list`).", Arity = ArgumentArity.ZeroOrMore };
        var allPoison = new Option<bool>("--all-poison") { Description = "Every poison item instead of ids." };
        command.Arguments.Add(ids);
        command.Options.Add(db);
        command.Options.Add(allPoison);
        command.SetAction(async (parse, _) =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            var all = parse.GetValue(allPoison);
            if ((chosen.Length > 0) == all)
            {
                throw new UsageException($"queue {name}: name item ids or pass --all-poison (not both)");
            }

            var queue = Open(parse.GetValue(db));
            var known = queue.List().Select(i => i.Id).ToHashSet();
            if (chosen.FirstOrDefault(id => !known.Contains(id)) is var missing and not 0)
            {
                throw new UsageException($"no work item with id {missing} in {queue.Database.Path}");
            }

            var changed = await action(queue, chosen);
            CliApp.Out(parse).WriteLine($"{changed} item(s) {verb}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static SqliteWorkQueue Open(string? db)
        => new(SqliteDatabase.Open(StoreFile.Resolve(db)), TimeProvider.System, Options.Create(new StorageOptions()));
}
