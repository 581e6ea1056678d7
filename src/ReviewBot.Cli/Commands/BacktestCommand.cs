using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot backtest --repo PATH --rules NEW [--against OLD] [--head REF] [--since DATE | --last N] [--format text|json]</c>:
/// what a rules file would have demanded of the pull requests a repository merged (<see cref="MergedChange"/>),
/// compared with what the rules of the time demanded (the rules locator's file at each change's base, else the
/// built-in default) or with OLD. A local history has no reviews, so it compares requirements: approvals (how many,
/// from whom), checks, blocks, labels. With <c>--db FILE</c> it replays the evaluations the audit store recorded with
/// NEW and compares decisions (recorded reviews included). Exit 0: nothing gated differently; 1: some changes are;
/// 2: usage error, or a change could not be evaluated.
/// </summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (work tree or bare).", HelpName = "PATH", DefaultValueFactory = _ => "." };
        var rules = new Option<string>("--rules") { Description = "The proposed rules file.", HelpName = "NEW", Required = true };
        var against = new Option<string?>("--against")
        {
            Description = "Compare with this rules file instead of the rules found at each change's base (.github/reviewbot.yml, .gitlab/reviewbot.yml, .reviewbot.yml; else the built-in default).",
            HelpName = "OLD",
        };
        var head = new Option<string>("--head") { Description = "The mainline revision whose first-parent history is read.", HelpName = "REF", DefaultValueFactory = _ => "HEAD" };
        var since = new Option<string?>("--since") { Description = "Only changes merged (committed) on or after this date (ISO 8601, e.g. 2026-01-31).", HelpName = "DATE" };
        var last = new Option<int?>("--last") { Description = "Only the N most recent merged changes.", HelpName = "N" };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var db = StoreFile.Option();
        db.Description = "Backtest the evaluations recorded in this SQLite store (of `reviewbot serve`) instead of a repository's history: replay each with NEW and compare decisions.";
        var command = new Command("backtest", "How a proposed rules file would have gated the merged pull requests of a repository (or the recorded evaluations of --db), by rule, with examples.")
        {
            repo, rules, against, head, since, last, format, db,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(since) is not null && parse.GetValue(last) is not null)
            {
                throw new UsageException("--since and --last exclude each other: pick one");
            }

            if (parse.GetValue(last) is < 1)
            {
                throw new UsageException("--last must be at least 1");
            }

            var options = new BacktestOptions(
                parse.GetValue(repo)!,
                LocalRules.ReadFile(parse.GetValue(rules)!),
                parse.GetValue(against) is { } old ? LocalRules.ReadFile(old) : null,
                parse.GetValue(head)!,
                ParseDate(parse.GetValue(since)),
                parse.GetValue(last));
            var stopwatch = Stopwatch.StartNew();
            using var progress = Progress.For(CliApp.Error(parse));
            var report = parse.GetValue(db) is { } file
                ? await FromStoreAsync(StoreFile.Resolve(file), options, progress, cancellationToken).ConfigureAwait(false)
                : await FromRepositoryAsync(options, progress, cancellationToken).ConfigureAwait(false);
            progress.Dispose();
            await CliApp.Out(parse).WriteAsync(parse.GetValue(format) == "json"
                ? JsonSerializer.Serialize(report, ReviewBotJson.Options) + Environment.NewLine
                : RenderText(report, stopwatch.Elapsed)).ConfigureAwait(false);
            foreach (var error in report.Errors)
            {
                CliApp.Error(parse).WriteLine($"reviewbot: {error.Change}: {error.Message}");
            }

            return report.Errors.Count > 0 ? ExitCodes.Usage : report.GatedDifferently > 0 ? ExitCodes.NotMet : ExitCodes.Success;
        });
        return command;
    }

    private sealed record BacktestOptions(string Repo, RulesSource Rules, RulesSource? Against, string Head, DateTimeOffset? Since, int? Last);

    private static DateTimeOffset? ParseDate(string? text)
        => text is null ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
            : throw new UsageException($"--since '{text}' is not a date (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)");

    /// <summary>The first-parent history's merged changes, each evaluated under both rule sets, two per core at a time.</summary>
    private static async Task<BacktestReport> FromRepositoryAsync(BacktestOptions options, Progress progress, CancellationToken cancellationToken)
    {
        GitRepository repository;
        List<MergedChange> changes;
        string headSha;
        try
        {
            repository = await GitRepository.OpenAsync(options.Repo, cancellationToken).ConfigureAwait(false);
            headSha = await repository.ResolveCommitAsync(options.Head, cancellationToken).ConfigureAwait(false);

            // --last counts merged changes, not commits: read the history, then keep the N newest recognised.
            var history = await repository.FirstParentLogAsync(headSha, null, options.Since, cancellationToken).ConfigureAwait(false);
            changes = [.. history.Select(MergedChange.Recognise).OfType<MergedChange>().Take(options.Last ?? int.MaxValue)];
        }
        catch (GitSourceException ex)
        {
            throw new UsageException(ex.Message);
        }

        var analyzer = new RoslynRiskAnalyzer(TimeProvider.System);
        var results = new ChangeResult?[changes.Count];
        var errors = new BacktestError?[changes.Count];
        progress.Start(changes.Count);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, changes.Count),
            // Two changes per core: each waits in turn on ~10 short git processes, and the other keeps the core busy meanwhile.
            new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var change = changes[i];
                try
                {
                    // The head's name is known (no git call to find one): git processes are most of a change's cost.
                    var headName = change.Number is { } n ? "#" + n.ToString(CultureInfo.InvariantCulture) : change.Commit.ShortSha;
                    var snapshot = await repository.LoadRangeAsync(change.Base, change.Commit.Sha, new LocalRangeOptions { Title = change.Title, HeadRefName = headName }, ct).ConfigureAwait(false)
                        with { Number = change.Number ?? 0 };
                    var old = options.Against ?? (await LocalRules.LocateAsync(repository, snapshot, null, ct).ConfigureAwait(false)).RepositoryLayer;

                    // One risk analysis per change when both rule sets configure it alike (the costly step).
                    var engine = new ReviewEngine(new SameOptionsOnce(analyzer));
                    var before = await engine.EvaluateAsync(snapshot, old, LocalMembership.Instance, null, null, repository, ct).ConfigureAwait(false);
                    var after = await engine.EvaluateAsync(snapshot, options.Rules, LocalMembership.Instance, null, null, repository, ct).ConfigureAwait(false);
                    results[i] = ChangeResult.Of(
                        new BacktestChange(change.Kind, change.Number, change.Commit.Sha, change.Base, change.Title, change.Commit.CommittedAt),
                        old is null ? null : new CheckRulesSource(old.Path, old.Origin, old.Revision),
                        before.Decision,
                        after.Decision);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    errors[i] = new BacktestError(Describe(change), $"{ex.GetType().Name}: {ex.Message}");
                }

                progress.Advance();
            }).ConfigureAwait(false);

        return BacktestReport.From(
            "repository",
            repository.Path,
            new CheckRevision(options.Head, headSha),
            options.Rules,
            options.Against,
            [.. results.OfType<ChangeResult>()],
            [.. errors.OfType<BacktestError>()],
            new BacktestCounts(changes.Count, changes.Count(c => c.Kind == MergedChange.Merge), changes.Count(c => c.Kind == MergedChange.Squash), 0));
    }

    /// <summary>The recorded evaluations (newest first), each replayed with NEW (and OLD when given) and compared with the recorded decision (or OLD's).</summary>
    private static async Task<BacktestReport> FromStoreAsync(string path, BacktestOptions options, Progress progress, CancellationToken cancellationToken)
    {
        using var database = SqliteDatabase.Open(path);
        var audit = new SqliteReviewStore(database, TimeProvider.System, new StorageOptions());
        var records = await audit.ListAsync(new AuditQuery { Since = options.Since, Limit = options.Last ?? 0 }, cancellationToken).ConfigureAwait(false);
        var replayer = new EvaluationReplayer(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)), new SqliteEvaluationStore(database, TimeProvider.System, new StorageOptions()));
        var results = new List<ChangeResult>();
        var skipped = 0;
        var notes = new List<string>();
        progress.Start(records.Count);
        foreach (var record in records)
        {
            var change = new BacktestChange("recorded", record.Number, record.HeadSha, record.Id, $"{record.Platform} {record.Repository}#{record.Number}", record.Time);
            try
            {
                var after = await replayer.ReplayAsync(record, options.Rules, cancellationToken).ConfigureAwait(false);
                var before = options.Against is { } old ? (await replayer.ReplayAsync(record, old, cancellationToken).ConfigureAwait(false)).Replayed.Decision : record.Decision!;
                results.Add(ChangeResult.Of(change, options.Against is { } o ? new CheckRulesSource(o.Path, o.Origin, o.Revision) : Recorded(after.Evaluation.Rules), before, after.Replayed.Decision));
            }
            catch (ReplayUnavailableException ex)
            {
                skipped++;
                notes.Add($"{record.Id}: {ex.Message}");
            }

            progress.Advance();
        }

        return BacktestReport.From(
            "store", database.Path, null, options.Rules, options.Against, results, [], new BacktestCounts(records.Count, 0, 0, skipped)) with { Notes = notes };
    }

    private static CheckRulesSource? Recorded(RulesSource? rules) => rules is null ? null : new CheckRulesSource(rules.Path, rules.Origin, rules.Revision);

    private static string Describe(MergedChange change)
        => $"{(change.Number is { } n ? "#" + n.ToString(CultureInfo.InvariantCulture) + " " : "")}{change.Commit.Sha[..Math.Min(12, change.Commit.Sha.Length)]}";

    internal static string RenderText(BacktestReport report, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var c = report.Counts;
        var source = report.Source == "store"
            ? $"{c.Changes} recorded evaluation(s) in {report.Location}{(c.Skipped > 0 ? $" ({c.Skipped} could not be replayed)" : "")}"
            : $"{c.Changes} merged change(s) of {report.Location} at {report.Head!.Ref} ({report.Head.Sha[..Math.Min(7, report.Head.Sha.Length)]}): {c.Merges} merge commit(s), {c.Squashes} squash commit(s)";
        sb.Append(inv, $"Backtest of {source}\n");
        sb.Append(inv, $"Rules: {report.Rules} against {report.Against}\n");
        var evaluated = report.Changes;
        var share = evaluated == 0 ? 0 : 100.0 * report.GatedDifferently / evaluated;
        sb.Append(inv, $"\nGated differently: {report.GatedDifferently} of {evaluated} ({share:0.#}%)\n");
        if (report.ByRule.Count > 0)
        {
            sb.Append("\nBy rule:\n");
            foreach (var rule in report.ByRule)
            {
                sb.Append(inv, $"  {rule.Rule}: {rule.Changes} change(s)\n");
                foreach (var example in rule.Examples)
                {
                    sb.Append(inv, $"    {Name(example.Change)}: {example.Change.Title}\n");
                    sb.Append(inv, $"      state: {example.Before.State} -> {example.After.State}\n");
                    SimulateCommand.AppendLines(sb, "      - before: ", example.OnlyBefore, "      + after:  ", example.OnlyAfter);
                }
            }
        }

        foreach (var note in report.Notes)
        {
            sb.Append(inv, $"Note: {note}\n");
        }

        sb.Append(inv, $"\nTook {elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} core(s).\n");
        return sb.ToString();
    }

    private static string Name(BacktestChange change)
        => (change.Number is { } n ? "#" + n.ToString(CultureInfo.InvariantCulture) + " " : "") + change.Sha[..Math.Min(7, change.Sha.Length)];

    /// <summary>
    /// Analyses a change once per distinct <c>risk:</c> section: the engine asks for the same snapshot under both rule
    /// sets, and when their risk options are equal (compared by value, through their JSON) the first report is reused.
    /// </summary>
    private sealed class SameOptionsOnce(IRiskAnalyzer inner) : IRiskAnalyzer
    {
        private readonly Dictionary<string, Task<RiskReport>> _reports = new(StringComparer.Ordinal);

        public Task<RiskReport> AnalyzeAsync(PullRequestSnapshot snapshot, RiskOptions options, CancellationToken cancellationToken = default)
        {
            var key = snapshot.BaseSha + ".." + snapshot.HeadSha + " " + JsonSerializer.Serialize(options, ReviewBotJson.Options);
            lock (_reports)
            {
                if (!_reports.TryGetValue(key, out var report))
                {
                    report = inner.AnalyzeAsync(snapshot, options, cancellationToken);
                    _reports[key] = report;
                }

                return report;
            }
        }
    }

    /// <summary>A progress bar on standard error, drawn only when it is a terminal (never into a pipe, a file or a test's writer).</summary>
    private sealed class Progress : IDisposable
    {
        private readonly TextWriter? _terminal;
        private readonly Lock _gate = new();
        private int _total;
        private int _done;
        private bool _drawn;

        private Progress(TextWriter? terminal)
        {
            _terminal = terminal;
        }

        public static Progress For(TextWriter error)
            => new(ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null);

        public void Start(int total) => _total = total;

        public void Advance()
        {
            var done = Interlocked.Increment(ref _done);
            if (_terminal is null || _total == 0)
            {
                return;
            }

            lock (_gate)
            {
                const int Width = 30;
                var filled = (int)((long)done * Width / _total);
                _terminal.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{_total}");
                _terminal.Flush();
                _drawn = true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_drawn && _terminal is not null)
                {
                    _terminal.Write("\r" + new string(' ', 50) + "\r");
                    _terminal.Flush();
                    _drawn = false;
                }
            }
        }
    }
}

/// <summary>One change of a backtest: a merged pull request (<c>kind</c> merge | squash) or a recorded evaluation (<c>recorded</c>; <c>base</c> is then the audit record id).</summary>
public sealed record BacktestChange(string Kind, long? Number, string Sha, string Base, string Title, DateTimeOffset? Time);

/// <summary>A decision in brief: its state (pass | pending | fail) and title.</summary>
public sealed record BacktestDecision(string State, string Title)
{
    public static BacktestDecision Of(Decision d) => new(DecisionRenderer.Name(d.State), d.Title);
}

/// <summary>
/// One change under both rule sets: what only the old rules demanded, what only the new ones do (one line per
/// requirement, <see cref="EvaluationReplayer.RequirementLines"/>), and the rules that account for it — a rule's name,
/// or "(label)", "(review request)", "(rules error)", "(conclusion)" for what no rule names.
/// </summary>
public sealed record ChangeResult(
    BacktestChange Change,
    CheckRulesSource? RulesBefore,
    BacktestDecision Before,
    BacktestDecision After,
    IReadOnlyList<string> OnlyBefore,
    IReadOnlyList<string> OnlyAfter,
    IReadOnlyList<string> Rules)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Differs => Rules.Count > 0;

    public static ChangeResult Of(BacktestChange change, CheckRulesSource? rulesBefore, Decision before, Decision after)
    {
        var old = EvaluationReplayer.RequirementLines(before).ToList();
        var now = EvaluationReplayer.RequirementLines(after).ToList();
        var onlyBefore = EvaluationReplayer.Without([.. old.Select(r => r.Text)], [.. now.Select(r => r.Text)]);
        var onlyAfter = EvaluationReplayer.Without([.. now.Select(r => r.Text)], [.. old.Select(r => r.Text)]);
        var rules = old.Where(r => onlyBefore.Contains(r.Text)).Concat(now.Where(r => onlyAfter.Contains(r.Text)))
            .Select(r => r.Rule ?? $"({r.Kind})")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (rules.Count == 0 && before.State != after.State)
        {
            rules.Add("(conclusion)");
        }

        return new ChangeResult(change, rulesBefore, BacktestDecision.Of(before), BacktestDecision.Of(after), onlyBefore, onlyAfter, rules);
    }
}

/// <summary>The changes one rule gates differently: how many, and the first few (newest first).</summary>
public sealed record BacktestRule(string Rule, int Changes, IReadOnlyList<ChangeResult> Examples);

/// <summary><c>changes</c>: examined; <c>merges</c>/<c>squashes</c>: how they were recognised; <c>skipped</c>: recorded evaluations that could not be replayed.</summary>
public sealed record BacktestCounts(int Changes, int Merges, int Squashes, int Skipped);

/// <summary>A change that could not be evaluated (the command then exits 2: no verdict is claimed for it).</summary>
public sealed record BacktestError(string Change, string Message);

/// <summary>
/// The documented, stable JSON of <c>reviewbot backtest --format json</c> (README, "Simulate and backtest"). Bump
/// <see cref="CurrentSchemaVersion"/> on a breaking change.
/// </summary>
public sealed record BacktestReport
{
    public const int CurrentSchemaVersion = 1;

    private const int ExamplesPerRule = 3;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>"repository" (merged pull requests of a git history) or "store" (recorded evaluations, --db).</summary>
    public required string Source { get; init; }

    /// <summary>The repository's path, or the SQLite file's.</summary>
    public required string Location { get; init; }

    /// <summary>The mainline revision read (repository source only).</summary>
    public CheckRevision? Head { get; init; }

    /// <summary>The proposed rules file.</summary>
    public required string Rules { get; init; }

    /// <summary>What they are compared with: the OLD file, "the rules at each change's base", or "the recorded decisions".</summary>
    public required string Against { get; init; }

    public required BacktestCounts Counts { get; init; }

    /// <summary>Changes evaluated under both rule sets.</summary>
    public required int Changes { get; init; }

    public required int GatedDifferently { get; init; }

    /// <summary>Rules by how many changes they gate differently (most first; then what no rule names), each with up to three examples.</summary>
    public required IReadOnlyList<BacktestRule> ByRule { get; init; }

    /// <summary>Every change gated differently, newest first.</summary>
    public required IReadOnlyList<ChangeResult> Differences { get; init; }

    public IReadOnlyList<BacktestError> Errors { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    internal static BacktestReport From(
        string source, string location, CheckRevision? head, RulesSource rules, RulesSource? against, IReadOnlyList<ChangeResult> results, IReadOnlyList<BacktestError> errors, BacktestCounts counts)
    {
        var differing = results.Where(r => r.Differs).ToList();
        return new BacktestReport
        {
            Source = source,
            Location = location,
            Head = head,
            Rules = rules.Path,
            Against = against?.Path ?? (source == "store" ? "the recorded decisions" : "the rules at each change's base"),
            Counts = counts,
            Changes = results.Count,
            GatedDifferently = differing.Count,
            ByRule = [.. differing
                .SelectMany(r => r.Rules.Select(rule => (Rule: rule, Result: r)))
                .GroupBy(x => x.Rule, StringComparer.Ordinal)
                .Select(g => new BacktestRule(g.Key, g.Count(), [.. g.Take(ExamplesPerRule).Select(x => x.Result)]))
                .OrderBy(r => r.Rule.StartsWith('('))
                .ThenByDescending(r => r.Changes)
                .ThenBy(r => r.Rule, StringComparer.Ordinal)],
            Differences = differing,
            Errors = errors,
        };
    }
}
