using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ReviewBot.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: schema migrations recorded in <c>schema_version</c>, one long-lived writer
/// connection behind a process-wide gate per file (writes never wait on SQLITE_BUSY inside a process; other
/// processes are handled by the busy timeout), and pooled reader connections.
/// Writes are <b>group-committed</b>: one writer loop takes every write waiting at that moment (up to
/// <see cref="MaxBatch"/>), runs each inside its own savepoint of one transaction, commits once, and only then
/// completes their tasks. A caller's write is therefore durable when its task completes, exactly as with a
/// transaction of its own; a write that throws rolls back only its own savepoint. Writers queue in arrival order,
/// so a burst of one kind (the worker's) never holds the file against another (the intake's).
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

        // 4: escalation clocks (escalate: on a rule), claimed by one sweeper when they run out.
        """
        CREATE TABLE escalations (
            pr_key          TEXT NOT NULL,
            rule            TEXT NOT NULL,
            platform        TEXT NOT NULL,
            repository      TEXT NOT NULL,
            number          INTEGER NOT NULL,
            installation_id INTEGER,
            project_id      INTEGER,
            head_sha        TEXT NOT NULL,
            grp             TEXT NOT NULL,
            after_ticks     INTEGER NOT NULL,
            started_ticks   INTEGER NOT NULL,
            due_ticks       INTEGER NOT NULL,
            fired_ticks     INTEGER,
            PRIMARY KEY (pr_key, rule)
        ) WITHOUT ROWID;

        CREATE INDEX escalations_due ON escalations (due_ticks) WHERE fired_ticks IS NULL;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>The most writes one transaction commits (bounds the time a batch holds the file).</summary>
    public const int MaxBatch = 256;

    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _gate;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;

    private SqliteDatabase(string path, string readConnectionString, SqliteConnection writer, SemaphoreSlim gate)
    {
        Path = path;
        _readConnectionString = readConnectionString;
        _writer = writer;
        _gate = gate;
        _writerLoop = Task.Run(WriterLoopAsync);
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
        using var reader = OpenReader();
        using var cmd = Command(reader, null, "SELECT MAX(version) FROM schema_version");
        return Convert.ToInt32(cmd.ExecuteScalar() ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection, all or nothing, one writer at a time; the returned task
    /// completes once the transaction holding it is committed (see the class remarks on group commit).
    /// <paramref name="work"/> must not start another write. Cancelling takes the write back only while it has not started.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        var write = new PendingWrite<T>(work, cancellationToken);
        if (!_pending.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), $"the database {Path} is closed");
        }

        return write.Task;
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var write))
                {
                    if (write.TryStart())
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count > 0)
                {
                    CommitBatch(batch);
                }
            }
            catch (Exception ex)
            {
                // Never let the loop die (every later write would wait forever): whatever escaped, this batch failed.
                foreach (var write in batch)
                {
                    write.Fail(ex);
                }
            }
            finally
            {
                _gate.Release();
                batch.Clear();
            }
        }
    }

    /// <summary>One transaction for the whole batch, a savepoint per write; tasks complete after the commit.</summary>
    private void CommitBatch(List<PendingWrite> batch)
    {
        SqliteTransaction? tx = null;
        try
        {
            tx = _writer.BeginTransaction(deferred: false);
            var single = batch.Count == 1;
            foreach (var write in batch)
            {
                if (single)
                {
                    write.Run(_writer, tx);
                    continue;
                }

                tx.Save("w");
                if (write.Run(_writer, tx))
                {
                    tx.Release("w");
                }
                else
                {
                    tx.Rollback("w");
                    tx.Release("w");
                }
            }

            if (single && batch[0].Failed)
            {
                tx.Rollback();
            }
            else
            {
                tx.Commit();
            }
        }
        catch (Exception ex)
        {
            // Begin or commit failed (another process held the file past the busy timeout, disk full, …): nothing
            // of this batch is durable, so every write in it fails.
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            return;
        }
        finally
        {
            DisposeQuietly(tx);
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    /// <summary>Disposing rolls back what was not committed; after a failure SQLite may have rolled back already.</summary>
    private static void DisposeQuietly(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Dispose();
        }
        catch (SqliteException)
        {
            // Nothing left to roll back.
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

    /// <summary>Finishes the writes already queued, then closes the writer connection.</summary>
    public void Dispose()
    {
        if (_pending.Writer.TryComplete())
        {
            _writerLoop.GetAwaiter().GetResult();
            _writer.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending.Writer.TryComplete())
        {
            await _writerLoop.ConfigureAwait(false);
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A write waiting for the writer loop.</summary>
    private abstract class PendingWrite
    {
        /// <summary>The write threw (its result is the exception, its savepoint is rolled back).</summary>
        public abstract bool Failed { get; }

        /// <summary>False when the caller cancelled before the write started (its task is cancelled, it is skipped).</summary>
        public abstract bool TryStart();

        /// <summary>Runs the work; false when it threw.</summary>
        public abstract bool Run(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>The transaction committed: the result (or the work's own exception) goes to the caller.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public override bool Failed => _error is not null;

        public override bool TryStart()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _done.TrySetCanceled(cancellationToken);
                return false;
            }

            return true;
        }

        public override bool Run(SqliteConnection connection, SqliteTransaction transaction)
        {
            try
            {
                _result = work(connection, transaction);
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public override void Complete()
        {
            if (_error is not null)
            {
                _done.TrySetException(_error);
            }
            else
            {
                _done.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception error) => _done.TrySetException(_error ?? error);
    }
}
