using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ReviewBot.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: schema migrations recorded in <c>schema_version</c>, one long-lived writer
/// connection behind a process-wide gate per file (writes never wait on SQLITE_BUSY inside a process; other
/// processes are handled by the busy timeout), and pooled reader connections.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// Ordered migrations; index + 1 is the schema version they bring the file to. One entry per schema change,
    /// appended, never edited once released (docs/deployment.md, "Schema migrations").
    /// </summary>
    private static readonly string[] Migrations =
    [
        // 1: delivery de-duplication, per-pull-request coordination, audit log.
        """
        CREATE TABLE deliveries (
            platform     TEXT NOT NULL,
            delivery_id  TEXT NOT NULL,
            received_at  TEXT NOT NULL,
            PRIMARY KEY (platform, delivery_id)
        ) WITHOUT ROWID;

        CREATE TABLE completed_deliveries (
            delivery_id  TEXT NOT NULL PRIMARY KEY,
            completed_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE pull_requests (
            pr_key           TEXT NOT NULL PRIMARY KEY,
            version          INTEGER NOT NULL,
            sequence         INTEGER NOT NULL,
            applied_sequence INTEGER NOT NULL,
            head_sha         TEXT,
            lease_owner      TEXT,
            lease_delivery   TEXT,
            lease_until      INTEGER,
            dirty            INTEGER NOT NULL,
            queued_head      TEXT,
            queued_until     INTEGER,
            updated_at       TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE audit (
            id           TEXT NOT NULL PRIMARY KEY,
            time         TEXT NOT NULL,
            time_ticks   INTEGER NOT NULL,
            platform     TEXT NOT NULL,
            repository   TEXT NOT NULL,
            number       INTEGER NOT NULL,
            head_sha     TEXT NOT NULL,
            delivery_id  TEXT,
            event        TEXT,
            state        TEXT NOT NULL,
            rules        TEXT,
            json         TEXT NOT NULL
        );

        CREATE INDEX audit_by_pr ON audit (repository, number, time_ticks);
        CREATE INDEX audit_by_time ON audit (time_ticks);
        CREATE INDEX audit_by_delivery ON audit (delivery_id);
        """,

        // 2: the durable work queue (a 202 means the delivery's review requests are in this table).
        """
        CREATE TABLE work_items (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            work_key     TEXT NOT NULL,
            delivery_id  TEXT NOT NULL,
            message      TEXT NOT NULL,
            state        TEXT NOT NULL DEFAULT 'ready',
            enqueued_at  TEXT NOT NULL,
            available_at INTEGER NOT NULL,
            attempts     INTEGER NOT NULL DEFAULT 0,
            folded       INTEGER NOT NULL DEFAULT 0,
            lease_owner  TEXT,
            lease_until  INTEGER,
            last_error   TEXT
        );

        CREATE INDEX work_items_due ON work_items (state, available_at, id);
        CREATE INDEX work_items_by_key ON work_items (work_key, state);
        """,

        // 3: recorded evaluations (what each audited decision decided on, for replay) and the content-addressed
        // file contents they read, kept apart from the audit log with their own retention.
        """
        CREATE TABLE evaluations (
            audit_id       TEXT NOT NULL PRIMARY KEY,
            recorded_ticks INTEGER NOT NULL,
            json           TEXT NOT NULL
        );

        CREATE TABLE contents (
            sha256 TEXT NOT NULL PRIMARY KEY,
            bytes  BLOB NOT NULL
        );

        CREATE TABLE evaluation_contents (
            audit_id       TEXT NOT NULL,
            sha256         TEXT NOT NULL,
            recorded_ticks INTEGER NOT NULL,
            PRIMARY KEY (audit_id, sha256)
        ) WITHOUT ROWID;

        CREATE INDEX evaluation_contents_by_hash ON evaluation_contents (sha256);
        CREATE INDEX evaluation_contents_by_time ON evaluation_contents (recorded_ticks);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _gate;

    private SqliteDatabase(string path, string readConnectionString, SqliteConnection writer, SemaphoreSlim gate)
    {
        Path = path;
        _readConnectionString = readConnectionString;
        _writer = writer;
        _gate = gate;
    }

    public string Path { get; }

    /// <summary>Opens (creating when missing) and migrates the file.</summary>
    public static SqliteDatabase Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        var writer = new SqliteConnection(builder.ToString());
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        Migrate(writer);

        builder.Mode = SqliteOpenMode.ReadWrite;
        var gate = Gates.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        return new SqliteDatabase(full, builder.ToString(), writer, gate);
    }

    /// <summary>Schema version recorded in the file.</summary>
    public int SchemaVersion()
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "SELECT MAX(version) FROM schema_version";
        return Convert.ToInt32(cmd.ExecuteScalar() ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection inside one transaction, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _writer.BeginTransaction(deferred: false);
            var result = work(_writer, tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A pooled read connection (WAL: readers never block the writer).</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    private static void Migrate(SqliteConnection connection)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        using var tx = connection.BeginTransaction(deferred: false);
        int current;
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            current = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"the audit database is at schema version {current}, newer than this ReviewBot understands ({Migrations.Length}); upgrade ReviewBot");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = Migrations[version - 1] + ";INSERT INTO schema_version (version, applied_at) VALUES ($v, $t);";
            cmd.Parameters.AddWithValue("$v", version);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>A command on <paramref name="connection"/>, inside <paramref name="transaction"/> when given.</summary>
    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>How times are stored as text: ISO 8601, UTC.</summary>
    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
