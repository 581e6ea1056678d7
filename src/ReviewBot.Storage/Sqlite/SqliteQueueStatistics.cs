using System.Globalization;
using ReviewBot.Pipeline.Telemetry;
using static ReviewBot.Storage.Sqlite.SqliteDatabase;

namespace ReviewBot.Storage.Sqlite;

/// <summary>The SQLite work queue's depth, oldest item and poison count, for the queue gauges (one read per collection).</summary>
public sealed class SqliteQueueStatistics(SqliteDatabase database, TimeProvider time) : IQueueStatistics
{
    public QueueStatistics Read()
    {
        using var c = database.OpenReader();
        using var cmd = Command(c, null, """
            SELECT COUNT(*) FILTER (WHERE state <> 'poison'),
                   MIN(enqueued_at) FILTER (WHERE state <> 'poison'),
                   COUNT(*) FILTER (WHERE state = 'poison')
            FROM work_items
            """);
        using var r = cmd.ExecuteReader();
        r.Read();
        var oldest = r.IsDBNull(1)
            ? TimeSpan.Zero
            : time.GetUtcNow() - DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new QueueStatistics(r.GetInt64(0), oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest, r.GetInt64(2));
    }
}
