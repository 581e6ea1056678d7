using System.Text;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Git.Tests;

/// <summary>The local git reader on real repositories the tests create.</summary>
public sealed class GitRepositoryTests
{
    private static readonly GitIdentity Alice = new("Alice", "alice@example.com");

    /// <summary>main: a.txt, b.txt, gone.txt, image.bin; feature: changes on top.</summary>
    private static GitRepoBuilder BaseRepo()
    {
        var repo = GitRepoBuilder.Init();
        repo.Write("a.txt", "alpha\nbeta\ngamma\ndelta\nepsilon\n");
        repo.Write("b.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\n");
        repo.Write("gone.txt", "to be deleted\n");
        repo.WriteBytes("image.bin", [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]);
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        return repo;
    }

    [Fact]
    public async Task Modified_added_removed_renamed_and_binary_files_with_counts_and_patches()
    {
        using var repo = BaseRepo();
        repo.Write("a.txt", "alpha\nBETA\ngamma\ndelta\nepsilon\nzeta\n");
        repo.Write("new.txt", "fresh\n");
        repo.Delete("gone.txt");
        repo.Rename("b.txt", "docs/b-renamed.txt");
        repo.WriteBytes("image.bin", [0x89, 0x50, 0x4E, 0x47, 0, 9, 9, 9]);
        repo.Commit("Change things");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        var files = snapshot.Files.ToDictionary(f => f.Path);
        Assert.Equal(5, files.Count);

        var a = files["a.txt"];
        Assert.Equal((FileStatus.Modified, 2, 1), (a.Status, a.Additions, a.Deletions));
        Assert.StartsWith("@@ -1,5 +1,6 @@", a.Patch);
        Assert.Contains("+BETA\n", a.Patch);

        Assert.Equal((FileStatus.Added, 1, 0), (files["new.txt"].Status, files["new.txt"].Additions, files["new.txt"].Deletions));
        Assert.Equal((FileStatus.Removed, 0, 1), (files["gone.txt"].Status, files["gone.txt"].Additions, files["gone.txt"].Deletions));
        Assert.Null(files["gone.txt"].HeadPath);

        var renamed = files["docs/b-renamed.txt"];
        Assert.Equal(FileStatus.Renamed, renamed.Status);
        Assert.Equal("b.txt", renamed.PreviousPath);
        Assert.Equal((0, 0), (renamed.Additions, renamed.Deletions));
        Assert.Null(renamed.Patch);

        var image = files["image.bin"];
        Assert.True(image.IsBinary);
        Assert.Null(image.Patch);
        Assert.Equal(FileStatus.Modified, image.Status);
    }

    [Fact]
    public async Task Snapshot_metadata_is_that_of_a_pull_request_of_head_into_base()
    {
        using var repo = BaseRepo();
        var baseSha = repo.RevParse("main");
        repo.Write("a.txt", "changed\n");
        repo.Commit("First change", Alice);
        repo.Write("c.txt", "c\n");
        var head = repo.Commit("Second change\n\nWith a body.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
            new CommitOptions { Author = Alice, Committer = new GitIdentity("Carol", "carol@example.com") });

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main", "feature");

        Assert.Equal(Platform.Local, snapshot.Platform);
        Assert.Same(IdentityFacts.None, snapshot.IdentityFacts); // git identities only: nothing a platform vouches for
        Assert.Equal(git.Path, snapshot.Repository);
        Assert.Equal(("main", baseSha, "feature", head), (snapshot.BaseRef, snapshot.BaseSha, snapshot.HeadRef, snapshot.HeadSha));
        Assert.Equal("Second change", snapshot.Title);
        Assert.Equal("", snapshot.Body);
        Assert.Same(Person.Unknown, snapshot.Author);
        var withAuthor = await git.LoadRangeAsync("main", "feature", new LocalRangeOptions { Author = new Person { Login = "alice" }, Title = "T", Body = "B", Labels = ["l"] });
        Assert.Equal(("alice", "T", "B", "l"), (withAuthor.Author.Login, withAuthor.Title, withAuthor.Body, Assert.Single(withAuthor.Labels)));

        Assert.Equal(["First change", "Second change"], snapshot.Commits.Select(c => c.Subject));
        var last = snapshot.Commits[^1];
        Assert.Equal(head, last.Sha);
        Assert.Equal(snapshot.Commits[0].Sha, Assert.Single(last.Parents));
        Assert.Equal(("Alice", "alice@example.com"), (last.Author.Name, last.Author.Email));
        Assert.Equal(("Carol", "carol@example.com"), (last.Committer.Name, last.Committer.Email));
        Assert.Null(last.Author.Login);
        Assert.Null(last.SignatureVerified);
        Assert.Equal(GitRepoBuilder.Epoch.AddMinutes(2), last.AuthoredAt);
        Assert.Equal(GitRepoBuilder.Epoch.AddMinutes(2), last.CommittedAt);
        Assert.Equal("Second change\n\nWith a body.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", last.Message);
        Assert.Equal([new Trailer("Co-authored-by", "Claude <noreply@anthropic.com>")], last.Trailers);
    }

    [Fact]
    public async Task Merge_commits_are_included_with_their_parents_and_files_come_from_the_merge_base()
    {
        using var repo = BaseRepo();
        repo.Write("a.txt", "feature work\n");
        var featureWork = repo.Commit("Feature work");
        repo.Checkout("main");
        repo.Write("main-only.txt", "moved on\n");
        var mainMoved = repo.Commit("Main moves on");
        repo.Checkout("feature");
        var merge = repo.Merge("main", "Merge main into feature\n");
        repo.Write("b.txt", "after merge\n");
        repo.Commit("After merge");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        Assert.Equal(["Feature work", "Merge main into feature", "After merge"], snapshot.Commits.Select(c => c.Subject));
        var mergeCommit = snapshot.Commits[1];
        Assert.Equal(merge, mergeCommit.Sha);
        Assert.True(mergeCommit.IsMerge);
        Assert.Equal([featureWork, mainMoved], mergeCommit.Parents);

        // main-only.txt came from base through the merge: not part of the change.
        Assert.Equal(["a.txt", "b.txt"], snapshot.Files.Select(f => f.Path).Order());

        // Base moved on after the branch point: the three-dot semantics still hold.
        var threeDot = await git.LoadRangeAsync("main...feature");
        Assert.Equal(snapshot.Files.Select(f => f.Path), threeDot.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Base_that_moved_on_does_not_show_its_changes_as_reverted()
    {
        using var repo = BaseRepo();
        repo.Write("feature.txt", "f\n");
        repo.Commit("feature");
        repo.Checkout("main");
        repo.Write("a.txt", "main changed a\n");
        repo.Commit("main changes a");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        Assert.Equal("feature.txt", Assert.Single(snapshot.Files).Path);
        Assert.Single(snapshot.Commits);
    }

    [Fact]
    public async Task Odd_file_names_newlines_spaces_unicode_quotes_and_tabs()
    {
        using var repo = BaseRepo();
        string[] names = ["with space.txt", "new\nline.txt", "ünïcødé/文件.txt", "quote\"d.txt", "tab\there.txt", "-leading-dash.txt", "back\\slash.txt"];
        foreach (var name in names)
        {
            repo.Write(name, $"content of {name}\n");
        }

        repo.Commit("Odd names");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        Assert.Equal(names.Order(StringComparer.Ordinal), snapshot.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Files, f => Assert.Equal((FileStatus.Added, f.Path.Count(c => c == '\n') + 1), (f.Status, f.Additions)));
        Assert.All(snapshot.Files.Where(f => !f.Path.Contains('\n')), f => Assert.Equal($"@@ -0,0 +1 @@\n+content of {f.Path}\n", f.Patch));
        Assert.Equal("@@ -0,0 +1,2 @@\n+content of new\n+line.txt\n", snapshot.Files.Single(f => f.Path.Contains('\n')).Patch);

        var contents = await snapshot.Contents.GetAsync([.. names.Select(n => new FileRequest(n, Side.Head))]);
        Assert.Equal(names.Length, contents.Count);
        Assert.All(contents, c => Assert.Equal($"content of {c.Path}\n", Encoding.UTF8.GetString(c.Bytes.Span)));
    }

    [Fact]
    public async Task Non_utf8_path_content_and_message_do_not_break_the_reader()
    {
        using var repo = BaseRepo();
        var latin1Path = Encoding.Latin1.GetBytes("caf\u00e9.txt");
        var latin1Content = Encoding.Latin1.GetBytes("na\u00efve caf\u00e9\n");
        repo.StageRawPath(latin1Path, latin1Content);
        repo.CommitRaw(Encoding.Latin1.GetBytes("Caf\u00e9 commit\n\nR\u00e9sum\u00e9 body\n"), "ISO-8859-1", new CommitOptions { StageAll = false });
        repo.WriteBytes("latin1-content.txt", latin1Content);
        repo.Git("add", "latin1-content.txt");
        repo.Commit("Latin-1 content", new CommitOptions { StageAll = false });
        repo.CommitRawObject(Encoding.Latin1.GetBytes("Undeclared \u00e9ncoding\n"));

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        // Declared encodings are re-encoded by git to UTF-8; undeclared invalid bytes become U+FFFD.
        Assert.Equal("Caf\u00e9 commit", snapshot.Commits[0].Subject);
        Assert.Equal("Undeclared \uFFFDncoding", snapshot.Commits[2].Subject);

        var odd = Assert.Single(snapshot.Files, f => f.Path.StartsWith("caf", StringComparison.Ordinal));
        Assert.Equal("caf\uFFFD.txt", odd.Path);
        Assert.Equal(FileStatus.Added, odd.Status);

        // Contents of changed files are read by blob id, so even a non-UTF-8 path round-trips.
        var contents = await snapshot.Contents.GetAsync([new FileRequest(odd.Path, Side.Head), new FileRequest("latin1-content.txt", Side.Head)]);
        Assert.Equal(2, contents.Count);
        Assert.All(contents, c => Assert.Equal(latin1Content, c.Bytes.ToArray()));
    }

    [Fact]
    public async Task Contents_at_both_sides_in_one_cat_file_process_per_batch()
    {
        using var repo = BaseRepo();
        repo.Write("a.txt", "new a\n");
        repo.Rename("b.txt", "b2.txt");
        repo.Delete("gone.txt");
        repo.Write("added.txt", "added\n");
        repo.Commit("Change");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");
        var provider = Assert.IsType<GitBlobContents>(snapshot.Contents);

        var contents = await provider.GetAsync(
        [
            new FileRequest("a.txt", Side.Base), new FileRequest("a.txt", Side.Head),
            new FileRequest("b.txt", Side.Base), new FileRequest("b2.txt", Side.Head),
            new FileRequest("gone.txt", Side.Base), new FileRequest("gone.txt", Side.Head),
            new FileRequest("added.txt", Side.Base), new FileRequest("added.txt", Side.Head),
            new FileRequest("image.bin", Side.Head), // unchanged: read by commit:path
            new FileRequest("no/such/file", Side.Head),
            new FileRequest("docs", Side.Head),
        ]);

        Assert.Equal(1, provider.ProcessesStarted);
        var text = contents.ToDictionary(c => (c.Path, c.Side), c => c.Bytes.ToArray());
        Assert.Equal(7, text.Count);
        Assert.Equal("alpha\nbeta\ngamma\ndelta\nepsilon\n", Encoding.UTF8.GetString(text[("a.txt", Side.Base)]));
        Assert.Equal("new a\n", Encoding.UTF8.GetString(text[("a.txt", Side.Head)]));
        Assert.Equal(text[("b.txt", Side.Base)], text[("b2.txt", Side.Head)]);
        Assert.Equal("to be deleted\n", Encoding.UTF8.GetString(text[("gone.txt", Side.Base)]));
        Assert.False(text.ContainsKey(("gone.txt", Side.Head)));
        Assert.False(text.ContainsKey(("added.txt", Side.Base)));
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3], text[("image.bin", Side.Head)]);

        Assert.Empty(await provider.GetAsync([]));
        Assert.Equal(1, provider.ProcessesStarted);
    }

    [Fact]
    public async Task Large_outputs_do_not_deadlock_and_huge_patches_are_left_out()
    {
        using var repo = BaseRepo();
        var big = new StringBuilder();
        for (var i = 0; i < 120_000; i++)
        {
            big.Append("line ").Append(i).Append(" of a large generated file\n");
        }

        repo.Write("big.txt", big.ToString());
        for (var i = 0; i < 300; i++)
        {
            repo.Write($"many/file{i:D3}.txt", $"file {i}\n");
        }

        repo.Commit("Big change");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature", new LocalRangeOptions { MaxPatchBytes = 1024 * 1024 });

        Assert.Equal(301, snapshot.Files.Count);
        var bigFile = Assert.Single(snapshot.Files, f => f.Path == "big.txt");
        Assert.Equal(120_000, bigFile.Additions);
        Assert.Null(bigFile.Patch);
        Assert.All(snapshot.Files.Where(f => f.Path != "big.txt"), f => Assert.NotNull(f.Patch));

        var contents = await snapshot.Contents.GetAsync([.. snapshot.Files.Select(f => new FileRequest(f.Path, Side.Head))]);
        Assert.Equal(301, contents.Count);
        Assert.Equal(Encoding.UTF8.GetByteCount(big.ToString()), contents.Single(c => c.Path == "big.txt").Length);
    }

    [Fact]
    public async Task Empty_range_has_no_commits_and_no_files()
    {
        using var repo = BaseRepo();
        var git = await GitRepository.OpenAsync(repo.Path);

        var same = await git.LoadRangeAsync("main..feature");
        Assert.Empty(same.Commits);
        Assert.Empty(same.Files);
        Assert.Equal("", same.Title);

        repo.Write("a.txt", "ahead\n");
        repo.Commit("ahead");
        var behind = await git.LoadRangeAsync("feature..main");
        Assert.Empty(behind.Commits);
        Assert.Empty(behind.Files);
    }

    [Fact]
    public async Task Unknown_refs_and_bad_ranges_are_typed_errors_with_clear_messages()
    {
        using var repo = BaseRepo();
        var git = await GitRepository.OpenAsync(repo.Path);

        var unknown = await Assert.ThrowsAsync<UnknownRevisionException>(() => git.LoadRangeAsync("main..no-such-branch"));
        Assert.Equal("no-such-branch", unknown.Revision);
        Assert.Contains("unknown revision 'no-such-branch'", unknown.Message);

        await Assert.ThrowsAsync<UnknownRevisionException>(() => git.LoadRangeAsync("nope..feature"));
        await Assert.ThrowsAsync<UnknownRevisionException>(() => git.ResolveCommitAsync("--output=/tmp/x"));
        await Assert.ThrowsAsync<UnknownRevisionException>(() => git.ResolveCommitAsync("main:a.txt"));

        var bad = Assert.Throws<InvalidRangeException>(() => GitRange.Parse("main"));
        Assert.Contains("expected BASE..HEAD", bad.Message);
        Assert.Throws<InvalidRangeException>(() => GitRange.Parse(".."));
        Assert.Throws<InvalidRangeException>(() => GitRange.Parse("a..b..c"));
        Assert.Throws<InvalidRangeException>(() => GitRange.Parse("-x..main"));
        Assert.Equal(new GitRange("HEAD", "feature"), GitRange.Parse("..feature"));
        Assert.Equal(new GitRange("main", "HEAD"), GitRange.Parse("main.."));
        Assert.Equal(new GitRange("main", "feature"), GitRange.Parse("main...feature"));
    }

    [Fact]
    public async Task Not_a_repository_is_a_typed_error()
    {
        var dir = Directory.CreateTempSubdirectory("reviewbot-not-a-repo-");
        try
        {
            var ex = await Assert.ThrowsAsync<NotAGitRepositoryException>(() => GitRepository.OpenAsync(dir.FullName));
            Assert.StartsWith("not a git repository: ", ex.Message);
            await Assert.ThrowsAsync<NotAGitRepositoryException>(() => GitRepository.OpenAsync(Path.Combine(dir.FullName, "missing")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bare_repositories_and_subdirectories_open()
    {
        using var repo = BaseRepo();
        repo.Write("sub/dir/x.txt", "x\n");
        repo.Commit("x");
        var bare = repo.CloneBare();

        var fromBare = await GitRepository.OpenAsync(bare.Path);
        Assert.True(fromBare.IsBare);
        var snapshot = await fromBare.LoadRangeAsync("main..feature");
        Assert.Equal("sub/dir/x.txt", Assert.Single(snapshot.Files).Path);
        var content = Assert.Single(await snapshot.Contents.GetAsync([new FileRequest("sub/dir/x.txt", Side.Head)]));
        Assert.Equal("x\n", Encoding.UTF8.GetString(content.Bytes.Span));

        var fromSub = await GitRepository.OpenAsync(Path.Combine(repo.Path, "sub", "dir"));
        Assert.False(fromSub.IsBare);
        Assert.Equal(Path.GetFullPath(repo.Path), Path.GetFullPath(fromSub.Path));
    }

    [Fact]
    public async Task Submodules_are_marked_and_have_no_content()
    {
        using var lib = GitRepoBuilder.Init();
        lib.Write("lib.txt", "v1\n");
        lib.Commit("lib v1");
        using var repo = BaseRepo();
        repo.AddSubmodule(lib, "vendor/lib");
        repo.Commit("Add submodule");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        var submodule = Assert.Single(snapshot.Files, f => f.Path == "vendor/lib");
        Assert.True(submodule.IsSubmodule);
        Assert.Equal(FileStatus.Added, submodule.Status);
        Assert.Contains(snapshot.Files, f => f.Path == ".gitmodules" && !f.IsSubmodule);
        Assert.Empty(await snapshot.Contents.GetAsync([new FileRequest("vendor/lib", Side.Head)]));

        // Moving the submodule pointer is a modification of the gitlink.
        lib.Write("lib.txt", "v2\n");
        var v2 = lib.Commit("lib v2");
        repo.Git("-C", "vendor/lib", "fetch", "-q", "origin");
        repo.Git("-C", "vendor/lib", "checkout", "-q", v2);
        repo.Commit("Bump submodule");
        var bumped = await git.LoadRangeAsync("feature~1..feature");
        var bump = Assert.Single(bumped.Files);
        Assert.Equal((FileStatus.Modified, true), (bump.Status, bump.IsSubmodule));
        Assert.Contains($"+Subproject commit {v2}", bump.Patch);
    }

    [Fact]
    public async Task Type_changes_mode_changes_and_copies()
    {
        using var repo = BaseRepo();
        repo.WriteSymlink("a.txt", "b.txt");
        repo.SetExecutable("gone.txt");
        repo.Write("b-copy.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\n");
        repo.Write("b.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n");
        repo.Commit("Types and modes");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");
        var files = snapshot.Files.ToDictionary(f => f.Path);

        Assert.Equal(FileStatus.TypeChanged, files["a.txt"].Status);
        Assert.Contains("+b.txt", files["a.txt"].Patch);
        Assert.Contains("-alpha", files["a.txt"].Patch);
        Assert.Equal((FileStatus.Modified, null), (files["gone.txt"].Status, files["gone.txt"].Patch));
        Assert.Equal((FileStatus.Copied, "b.txt"), (files["b-copy.txt"].Status, files["b-copy.txt"].PreviousPath));
        Assert.Equal("+eight\n", files["b.txt"].Patch!.Split('\n', 2)[1].Split("\n").Last(l => l.Length > 0) + "\n");

        var link = Assert.Single(await snapshot.Contents.GetAsync([new FileRequest("a.txt", Side.Head)]));
        Assert.Equal("b.txt", Encoding.UTF8.GetString(link.Bytes.Span));
    }

    [Fact]
    public async Task Unrelated_histories_compare_against_an_empty_tree()
    {
        using var repo = BaseRepo();
        repo.Git("checkout", "-q", "--orphan", "orphan");
        repo.Git("rm", "-q", "-rf", ".");
        repo.Write("only.txt", "only\n");
        repo.Commit("Orphan root");

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..orphan");

        Assert.Equal("Orphan root", Assert.Single(snapshot.Commits).Subject);
        Assert.Empty(snapshot.Commits[0].Parents);
        Assert.Equal(("only.txt", FileStatus.Added), (Assert.Single(snapshot.Files).Path, snapshot.Files[0].Status));
    }

    [Fact]
    public async Task Head_ref_names_come_from_branches_remote_branches_and_options()
    {
        using var repo = BaseRepo();
        repo.Checkout("main");
        repo.CreateBranch("copilot/fix-login", checkout: true);
        repo.Write("a.txt", "fix\n");
        var head = repo.Commit("Fix login");
        repo.Git("update-ref", "refs/remotes/origin/codex/task-1", head);

        var git = await GitRepository.OpenAsync(repo.Path);
        Assert.Equal("copilot/fix-login", (await git.LoadRangeAsync("main..HEAD")).HeadRef);
        Assert.Equal("codex/task-1", (await git.LoadRangeAsync("main..origin/codex/task-1")).HeadRef);
        Assert.Equal(head, (await git.LoadRangeAsync("main.." + head)).HeadRef);
        Assert.Equal("given", (await git.LoadRangeAsync("main..HEAD", new LocalRangeOptions { HeadRefName = "given" })).HeadRef);
    }

    [Fact]
    public async Task The_first_existing_candidate_is_read_at_a_revision_with_its_blob_id_and_null_when_none_is()
    {
        using var repo = BaseRepo();
        repo.Checkout("main");
        repo.Write(".gitlab/reviewbot.yml", "version: 1\n");
        var withRules = repo.Commit("Add rules");
        repo.Checkout("feature");
        repo.Write(".gitlab/reviewbot.yml", "version: 1\nrules: []\n");
        var loosened = repo.Commit("Loosen rules");
        string[] candidates = [".github/reviewbot.yml", ".gitlab/reviewbot.yml", ".reviewbot.yml"];

        var git = await GitRepository.OpenAsync(repo.Path);

        var atBase = await git.ReadAsync(candidates, withRules);
        Assert.Equal((".gitlab/reviewbot.yml", "version: 1\n"), (atBase!.Path, atBase.Text));
        Assert.Equal(repo.Git("rev-parse", withRules + ":.gitlab/reviewbot.yml").Trim(), atBase.Revision);
        Assert.Equal("version: 1\nrules: []\n", (await git.ReadAsync(candidates, loosened))!.Text);
        Assert.Equal("version: 1\n", (await git.ReadAsync(candidates, "main"))!.Text);

        Assert.Null(await git.ReadAsync(candidates, "main~1"));
        Assert.Null(await git.ReadAsync([".gitlab"], "main"));
        await Assert.ThrowsAsync<UnknownRevisionException>(() => git.ReadAsync(candidates, "nope"));
    }

    [Fact]
    public async Task Cancellation_stops_the_work()
    {
        using var repo = BaseRepo();
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => git.LoadRangeAsync("main..feature", cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Parsed_trailers_agree_with_gits_own_trailer_parser()
    {
        using var repo = BaseRepo();
        string[] messages =
        [
            "Plain subject\n",
            "Subject\n\nNote: prose paragraph with\na second line.\n",
            "Subject\n\nBody.\n\nCo-authored-by: Claude <noreply@anthropic.com>\nSigned-off-by: A <a@x>\n",
            "Subject\n\nfree text\nSigned-off-by: A <a@x>\nmore text\n",
            "Subject\n\nKey: folded\n  continuation\nOther : spaced\n",
            "Subject\n\nSee also: not a token\n",
            "Squash (#1)\n\n* a\n\n---------\n\nCo-authored-by: B <b@x>\n",
        ];
        foreach (var message in messages)
        {
            repo.Commit(message, new CommitOptions { AllowEmpty = true });
        }

        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");

        Assert.Equal(messages.Length, snapshot.Commits.Count);
        foreach (var commit in snapshot.Commits)
        {
            var expected = repo.Git("log", "-1", "--format=%(trailers:only,unfold)", commit.Sha)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expected, commit.Trailers.Select(t => t.ToString()));
        }
    }

    [Fact]
    public async Task Shallow_clone_without_the_merge_base_is_a_clear_error_not_all_files_added()
    {
        using var repo = BaseRepo();
        repo.Write("a.txt", "feature\n");
        repo.Commit("feature 1");
        repo.Write("b.txt", "feature\n");
        repo.Commit("feature 2");
        var shallow = repo.CloneShallow(1);

        var git = await GitRepository.OpenAsync(shallow.Path);
        var ex = await Assert.ThrowsAsync<IncompleteHistoryException>(() => git.LoadRangeAsync("origin/main..origin/feature"));
        Assert.Contains("shallow clone", ex.Message);

        var deep = await GitRepository.OpenAsync(repo.CloneShallow(3).Path);
        Assert.Equal(2, (await deep.LoadRangeAsync("origin/main..origin/feature")).Commits.Count);
    }

    [Fact]
    public async Task Concurrent_content_batches_each_get_their_own_process_and_the_right_bytes()
    {
        using var repo = BaseRepo();
        for (var i = 0; i < 40; i++)
        {
            repo.Write($"f{i}.txt", $"file {i}\n");
        }

        repo.Commit("Forty files");
        var git = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await git.LoadRangeAsync("main..feature");
        var provider = Assert.IsType<GitBlobContents>(snapshot.Contents);

        var batches = Enumerable.Range(0, 8)
            .Select(b => provider.GetAsync([.. Enumerable.Range(b * 5, 5).Select(i => new FileRequest($"f{i}.txt", Side.Head))]))
            .ToArray();
        var results = await Task.WhenAll(batches);

        Assert.Equal(8, provider.ProcessesStarted);
        for (var b = 0; b < 8; b++)
        {
            Assert.Equal(
                Enumerable.Range(b * 5, 5).Select(i => $"f{i}.txt:file {i}\n"),
                results[b].Select(c => $"{c.Path}:{Encoding.UTF8.GetString(c.Bytes.Span)}"));
        }
    }
}
