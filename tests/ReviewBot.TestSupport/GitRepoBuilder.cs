using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReviewBot.TestSupport;

/// <summary>A git identity (name and email) for authors and committers.</summary>
public sealed record GitIdentity(string Name, string Email)
{
    public static GitIdentity DefaultAuthor { get; } = new("Ada Author", "ada@example.com");

    public static GitIdentity DefaultCommitter { get; } = new("Carl Committer", "carl@example.com");

    public override string ToString() => $"{Name} <{Email}>";
}

/// <summary>Options of one commit. Everything not given takes the builder's defaults.</summary>
public sealed record CommitOptions
{
    public GitIdentity? Author { get; init; }

    /// <summary>Committer; defaults to the author when an author is given, else the default committer.</summary>
    public GitIdentity? Committer { get; init; }

    /// <summary>Author and committer date; defaults to the builder's clock (one minute per commit).</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Committer date when it differs from the author date (rebases, cherry-picks).</summary>
    public DateTimeOffset? CommitterDate { get; init; }

    public bool AllowEmpty { get; init; }

    /// <summary>git's <c>--cleanup</c> mode: "verbatim" keeps the message byte for byte (the default here).</summary>
    public string Cleanup { get; init; } = "verbatim";

    /// <summary>Stage every change of the work tree first (<c>git add -A</c>); the default.</summary>
    public bool StageAll { get; init; } = true;
}

/// <summary>
/// Creates a real git repository in a temporary directory through the <c>git</c> CLI, for tests that need
/// real history: files (text, bytes, odd names), commits with chosen identities, dates and trailers,
/// branches, tags, merges, bare clones and submodules. Deterministic (fixed dates, no global or system
/// configuration, <c>main</c> as the initial branch). Disposing deletes the directory.
/// </summary>
/// <example>
/// <code>
/// using var repo = GitRepoBuilder.Init();
/// repo.Write("a.txt", "one\n");
/// var baseSha = repo.Commit("Initial");
/// repo.CreateBranch("feature", checkout: true);
/// repo.Write("a.txt", "two\n");
/// var headSha = repo.Commit("Change a\n\nCo-authored-by: Claude &lt;noreply@anthropic.com&gt;\n");
/// </code>
/// </example>
public sealed class GitRepoBuilder : IDisposable
{
    /// <summary>The first commit date; each commit without an explicit date is one minute later than the previous.</summary>
    public static DateTimeOffset Epoch { get; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly string _home;
    private readonly List<GitRepoBuilder> _owned = [];
    private DateTimeOffset _clock = Epoch;
    private bool _disposed;

    private GitRepoBuilder(string path, string home, bool bare)
    {
        Path = path;
        _home = home;
        IsBare = bare;
    }

    /// <summary>The work tree (or the bare repository directory).</summary>
    public string Path { get; }

    public bool IsBare { get; }

    /// <summary>Creates an empty repository whose initial branch is <paramref name="initialBranch"/>.</summary>
    public static GitRepoBuilder Init(bool bare = false, string initialBranch = "main")
    {
        var root = CreateTempDirectory();
        var repoPath = System.IO.Path.Combine(root, bare ? "repo.git" : "repo");
        Directory.CreateDirectory(repoPath);
        var builder = new GitRepoBuilder(repoPath, root, bare);
        var args = new List<string> { "init", "-q", "--initial-branch=" + initialBranch };
        if (bare)
        {
            args.Add("--bare");
        }

        builder.Git([.. args]);
        return builder;
    }

    // ---------------------------------------------------------------- work tree

    /// <summary>Writes a UTF-8 text file (exactly the given text, no newline added). Creates directories.</summary>
    public GitRepoBuilder Write(string path, string text) => WriteBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes raw bytes (binary files, non-UTF-8 text).</summary>
    public GitRepoBuilder WriteBytes(string path, byte[] bytes)
    {
        var full = FullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return this;
    }

    /// <summary>Deletes a file from the work tree (staged by the next commit).</summary>
    public GitRepoBuilder Delete(string path)
    {
        File.Delete(FullPath(path));
        return this;
    }

    /// <summary>Renames a file with <c>git mv</c>.</summary>
    public GitRepoBuilder Rename(string from, string to)
    {
        var target = FullPath(to);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        Git("mv", "--", from, to);
        return this;
    }

    /// <summary>Replaces the path with a symbolic link to <paramref name="target"/>.</summary>
    public GitRepoBuilder WriteSymlink(string path, string target)
    {
        var full = FullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (File.Exists(full) || Directory.Exists(full))
        {
            File.Delete(full);
        }

        File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>Stages the file and sets or clears its executable bit in the index (mode 100755 / 100644).</summary>
    public GitRepoBuilder SetExecutable(string path, bool executable = true)
    {
        var full = FullPath(path);
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            var mode = File.GetUnixFileMode(full);
            File.SetUnixFileMode(full, executable ? mode | exec : mode & ~exec);
        }

        Git("add", "--", path);
        Git("update-index", executable ? "--chmod=+x" : "--chmod=-x", "--", path);
        return this;
    }

    public string ReadText(string path) => File.ReadAllText(FullPath(path));

    public bool Exists(string path) => File.Exists(FullPath(path));

    /// <summary>
    /// Stages a blob under a path given as raw bytes, straight into the index (no file on disk): for names the
    /// file system API cannot express, e.g. non-UTF-8 bytes. Commit with <see cref="CommitOptions.StageAll"/> false
    /// or the next <c>git add -A</c> removes it again (there is no such file in the work tree).
    /// </summary>
    public GitRepoBuilder StageRawPath(byte[] pathBytes, byte[] content, string mode = "100644")
    {
        var blob = GitText(content, "hash-object", "-w", "--stdin").Trim();
        var line = new List<byte>();
        line.AddRange(Encoding.ASCII.GetBytes($"{mode} {blob}\t"));
        line.AddRange(pathBytes);
        line.Add(0);
        Run([.. line], "update-index", "-z", "--index-info");
        return this;
    }

    /// <summary>Stages a gitlink (submodule entry, mode 160000) pointing at <paramref name="commitSha"/>, without a .gitmodules entry.</summary>
    public GitRepoBuilder StageGitlink(string path, string commitSha)
    {
        Git("update-index", "--add", "--cacheinfo", $"160000,{commitSha},{path}");
        return this;
    }

    /// <summary>
    /// Adds <paramref name="other"/> as a real submodule at <paramref name="path"/> (<c>git submodule add</c>,
    /// writes .gitmodules and the gitlink); commit afterwards.
    /// </summary>
    public GitRepoBuilder AddSubmodule(GitRepoBuilder other, string path)
    {
        Git("-c", "protocol.file.allow=always", "submodule", "add", "-q", other.Path, path);
        return this;
    }

    // ---------------------------------------------------------------- history

    /// <summary>Commits (staging everything first, by default) with the full <paramref name="message"/>; returns the new SHA.</summary>
    public string Commit(string message, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        RequireWorkTree();
        if (options.StageAll)
        {
            Git("add", "-A");
        }

        var args = new List<string> { "commit", "-q", "--no-verify", "--cleanup=" + options.Cleanup, "-F", "-" };
        if (options.AllowEmpty)
        {
            args.Add("--allow-empty");
        }

        RunWithIdentity(options, Encoding.UTF8.GetBytes(message), [.. args]);
        return Head;
    }

    /// <summary>Commits with the given author (and the same committer).</summary>
    public string Commit(string message, GitIdentity author) => Commit(message, new CommitOptions { Author = author });

    /// <summary>Commits a message given as raw bytes, declared in <paramref name="encoding"/> (e.g. ISO-8859-1) via i18n.commitEncoding.</summary>
    public string CommitRaw(byte[] message, string? encoding = null, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        RequireWorkTree();
        if (options.StageAll)
        {
            Git("add", "-A");
        }

        var args = new List<string>();
        if (encoding is not null)
        {
            args.AddRange(["-c", "i18n.commitEncoding=" + encoding]);
        }

        args.AddRange(["commit", "-q", "--no-verify", "--cleanup=" + options.Cleanup, "-F", "-"]);
        if (options.AllowEmpty)
        {
            args.Add("--allow-empty");
        }

        RunWithIdentity(options, message, [.. args]);
        return Head;
    }

    /// <summary>
    /// Writes a commit object byte for byte (<c>git hash-object -t commit</c>) on top of HEAD with HEAD's tree and
    /// moves the current branch to it: for messages git commit would rewrite (it converts invalid UTF-8 to Latin-1).
    /// </summary>
    public string CommitRawObject(byte[] message, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        var author = options.Author ?? GitIdentity.DefaultAuthor;
        var committer = options.Committer ?? options.Author ?? GitIdentity.DefaultCommitter;
        var date = options.Date ?? NextDate();
        var stamp = $"{date.ToUnixTimeSeconds()} +0000";
        var header = $"tree {Git("rev-parse", "HEAD^{tree}").Trim()}\nparent {Head}\nauthor {author} {stamp}\ncommitter {committer} {stamp}\n\n";
        var sha = GitText(
            [.. Encoding.UTF8.GetBytes(header), .. message],
            "hash-object", "-t", "commit", "-w", "--stdin").Trim();
        Git("update-ref", "HEAD", sha);
        return sha;
    }

    /// <summary>Merges <paramref name="branch"/> into the current branch with a merge commit (<c>--no-ff</c>); returns its SHA.</summary>
    public string Merge(string branch, string? message = null, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        RequireWorkTree();
        // git merge reads -F from a file only (no "-" for stdin).
        var messageFile = System.IO.Path.Combine(_home, "MERGE_MESSAGE");
        File.WriteAllText(messageFile, message ?? $"Merge branch '{branch}'\n");
        RunWithIdentity(options, null, "merge", "-q", "--no-ff", "--no-edit", "--no-verify", "--cleanup=" + options.Cleanup, "-F", messageFile, branch);
        return Head;
    }

    /// <summary>Fast-forwards the current branch to <paramref name="branch"/> (fails when not possible).</summary>
    public string FastForward(string branch)
    {
        Git("merge", "-q", "--ff-only", branch);
        return Head;
    }

    /// <summary>Creates a branch at <paramref name="startPoint"/> (default HEAD), optionally checking it out.</summary>
    public GitRepoBuilder CreateBranch(string name, string? startPoint = null, bool checkout = false)
    {
        if (checkout)
        {
            Git(startPoint is null ? ["checkout", "-q", "-b", name] : ["checkout", "-q", "-b", name, startPoint]);
        }
        else
        {
            Git(startPoint is null ? ["branch", name] : ["branch", name, startPoint]);
        }

        return this;
    }

    public GitRepoBuilder Checkout(string refOrSha)
    {
        Git("checkout", "-q", refOrSha);
        return this;
    }

    /// <summary>Creates a lightweight tag, or an annotated one when <paramref name="message"/> is given.</summary>
    public GitRepoBuilder Tag(string name, string? target = null, string? message = null)
    {
        var args = new List<string> { "tag" };
        if (message is not null)
        {
            args.AddRange(["-a", "-m", message]);
        }

        args.Add(name);
        if (target is not null)
        {
            args.Add(target);
        }

        RunWithIdentity(new CommitOptions(), null, [.. args]);
        return this;
    }

    /// <summary>Clones this repository as a bare repository in a new temporary directory (disposed with this builder).</summary>
    public GitRepoBuilder CloneBare()
    {
        var root = CreateTempDirectory();
        var target = System.IO.Path.Combine(root, "clone.git");
        Git("clone", "-q", "--bare", "--no-local", Path, target);
        var clone = new GitRepoBuilder(target, root, bare: true);
        _owned.Add(clone);
        return clone;
    }

    /// <summary>
    /// Clones this repository with only the last <paramref name="depth"/> commits of every branch (a shallow clone,
    /// as CI checkouts make) into a new temporary directory (disposed with this builder). Remote branches are
    /// under <c>origin/</c>.
    /// </summary>
    public GitRepoBuilder CloneShallow(int depth)
    {
        var root = CreateTempDirectory();
        var target = System.IO.Path.Combine(root, "shallow");
        Git("clone", "-q", "--depth", depth.ToString(CultureInfo.InvariantCulture), "--no-single-branch", "file://" + Path, target);
        var clone = new GitRepoBuilder(target, root, bare: false);
        _owned.Add(clone);
        return clone;
    }

    // ---------------------------------------------------------------- queries

    /// <summary>The SHA of HEAD.</summary>
    public string Head => RevParse("HEAD");

    public string CurrentBranch => Git("symbolic-ref", "--short", "HEAD").Trim();

    /// <summary>Resolves a revision to a full SHA (commits: peeled).</summary>
    public string RevParse(string revision) => Git("rev-parse", "--verify", "-q", revision + "^{commit}").Trim();

    /// <summary>Runs git in the repository and returns stdout as UTF-8 text; throws with stderr on failure.</summary>
    public string Git(params string[] args) => GitText(null, args);

    /// <summary>Runs git in the repository and returns raw stdout bytes.</summary>
    public byte[] GitBytes(params string[] args) => Run(null, args);

    // ---------------------------------------------------------------- plumbing

    private string GitText(byte[]? stdin, params string[] args) => Encoding.UTF8.GetString(Run(stdin, args));

    private void RunWithIdentity(CommitOptions options, byte[]? stdin, params string[] args)
    {
        var author = options.Author ?? GitIdentity.DefaultAuthor;
        var committer = options.Committer ?? options.Author ?? GitIdentity.DefaultCommitter;
        var date = options.Date ?? NextDate();
        var committerDate = options.CommitterDate ?? date;
        var env = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = author.Name,
            ["GIT_AUTHOR_EMAIL"] = author.Email,
            ["GIT_AUTHOR_DATE"] = FormatDate(date),
            ["GIT_COMMITTER_NAME"] = committer.Name,
            ["GIT_COMMITTER_EMAIL"] = committer.Email,
            ["GIT_COMMITTER_DATE"] = FormatDate(committerDate),
        };
        Run(stdin, env, args);
    }

    private DateTimeOffset NextDate()
    {
        var date = _clock;
        _clock = _clock.AddMinutes(1);
        return date;
    }

    private static string FormatDate(DateTimeOffset date)
        => date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private byte[] Run(byte[]? stdin, params string[] args) => Run(stdin, null, args);

    private byte[] Run(byte[]? stdin, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var setting in DeterministicConfig)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(setting);
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // No user, system or global configuration: the repository behaves the same on every machine.
        psi.Environment["HOME"] = _home;
        psi.Environment["XDG_CONFIG_HOME"] = _home;
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        foreach (var name in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE" })
        {
            psi.Environment.Remove(name);
        }

        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
        var stdoutTask = Task.Run(() =>
        {
            using var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            return buffer.ToArray();
        });
        var stderrTask = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // git exited without reading its input: its exit code and stderr below say why
        }

        process.WaitForExit();
        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({process.ExitCode}) in {Path}: {stderr.Trim()}");
        }

        return stdout;
    }

    private static readonly string[] DeterministicConfig =
    [
        "user.name=" + GitIdentity.DefaultAuthor.Name,
        "user.email=" + GitIdentity.DefaultAuthor.Email,
        "init.defaultBranch=main",
        "commit.gpgSign=false",
        "tag.gpgSign=false",
        "core.autocrlf=false",
        "core.fileMode=true",
        "core.symlinks=true",
        "core.quotePath=false",
        "advice.detachedHead=false",
        "merge.ff=true",
    ];

    private string FullPath(string path)
    {
        RequireWorkTree();
        return System.IO.Path.Combine(Path, path);
    }

    private void RequireWorkTree()
    {
        if (IsBare)
        {
            throw new InvalidOperationException("a bare repository has no work tree: build history in a work tree and CloneBare() it");
        }
    }

    private static string CreateTempDirectory()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reviewbot-git-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        return root;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _disposed = true;
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a process may still hold a file; the OS cleans temp eventually
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
