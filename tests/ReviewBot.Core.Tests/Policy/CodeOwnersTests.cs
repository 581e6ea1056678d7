using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>CODEOWNERS (GitHub syntax and GitLab sections) and the <c>codeowners: true</c> approval requirement.</summary>
public sealed class CodeOwnersTests
{
    private const string GitHubFile = """
        # default owner, then more specific entries (last match wins)
        *                       @acme/core
        *.js                    @js-owner
        /build/logs/            @doctocat
        docs/*                  docs@example.com
        apps/                   @octocat
        /src/Billing/           @acme/billing
        /src/Billing/Generated/
        **/tmp                  @tmpkeeper
        """;

    [Theory]
    [InlineData("README.md", "@acme/core")]
    [InlineData("web/app.js", "@js-owner")]                         // unanchored: any depth
    [InlineData("build/logs/today.txt", "@doctocat")]               // anchored directory owns what is beneath
    [InlineData("x/build/logs/today.txt", "@acme/core")]            // ... only at the root
    [InlineData("docs/getting-started.md", "docs@example.com")]      // dir/* owns files directly in dir
    [InlineData("docs/build-app/troubleshooting.md", "@acme/core")] // ... not nested ones
    [InlineData("apps/web/main.cs", "@octocat")]                    // dir/ at any depth
    [InlineData("nested/apps/x.cs", "@octocat")]
    [InlineData("src/Billing/Invoice.cs", "@acme/billing")]
    [InlineData("src/Billing/Generated/Model.cs", "")]              // an entry without owners leaves the path unowned
    [InlineData("deep/dir/tmp/a.txt", "@tmpkeeper")]               // **/ at any depth
    [InlineData("src/billing/Invoice.cs", "@acme/core")]            // case-sensitive, as on GitHub
    public void GitHubSyntax_LastMatchingEntryWins(string path, string owners)
    {
        var file = CodeOwnersFile.Parse(GitHubFile);
        var ownership = Assert.Single(file.OwnersOf(path));
        Assert.Equal(owners, string.Join(" ", ownership.Entry.Owners));
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void GitHubSyntax_OwnerKinds()
    {
        var owners = Assert.Single(CodeOwnersFile.Parse("* @alice @acme/billing alice@example.com\n").Sections).Entries[0].Owners;
        Assert.Equal(["alice", null, null], owners.Select(o => o.User));
        Assert.Equal([null, "acme/billing", null], owners.Select(o => o.Team));
        Assert.Equal([null, null, "alice@example.com"], owners.Select(o => o.Email));
    }

    private const string GitLabFile = """
        * @default-owner

        [Database][2] @dba-lead @acme/dba
        db/
        db/legacy/ @legacy-owner

        ^[Documentation] @tech-writer
        *.md

        [Frontend]
        *.ts @fe
        """;

    [Theory]
    [InlineData("db/schema.sql", "|@default-owner;Database/2/required/@dba-lead @acme/dba")]
    [InlineData("db/legacy/old.sql", "|@default-owner;Database/2/required/@legacy-owner")]
    [InlineData("README.md", "|@default-owner;Documentation/1/optional/@tech-writer")]
    [InlineData("web/a.ts", "|@default-owner;Frontend/1/required/@fe")]
    public void GitLabSections_EachSectionJudgedOnItsOwn(string path, string expected)
    {
        var file = CodeOwnersFile.Parse(GitLabFile);
        var described = file.OwnersOf(path).Select(o => o.Section.Name is null
            ? "|" + string.Join(" ", o.Entry.Owners)
            : $"{o.Section.Name}/{o.Section.Approvals}/{(o.Section.Optional ? "optional" : "required")}/{string.Join(" ", o.Entry.Owners)}");
        Assert.Equal(expected, string.Join(";", described));
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void UnreadableLines_BecomeLineNumberedNotes_NotExceptions()
    {
        var file = CodeOwnersFile.Parse("!secret.txt @a\nsrc/ owner-without-at\ndocs/ @@developer\nsrc/[z-a] @b\n*.cs @c\n", ".github/CODEOWNERS");
        Assert.Equal(4, file.Problems.Count);
        Assert.StartsWith(".github/CODEOWNERS:1: '!secret.txt'", file.Problems[0]);
        Assert.StartsWith(".github/CODEOWNERS:2: 'owner-without-at' is not an owner", file.Problems[1]);
        Assert.StartsWith(".github/CODEOWNERS:3: owner '@@developer'", file.Problems[2]);
        Assert.StartsWith(".github/CODEOWNERS:4: 'src/[z-a]' is not a valid pattern", file.Problems[3]);
        Assert.Equal("@c", string.Join(" ", Assert.Single(file.OwnersOf("a/b.cs")).Entry.Owners));
    }

    [Fact]
    public void Locations_FollowEachPlatform_GitHubsUnlessTheAdapterSaysOtherwise()
    {
        Assert.Equal([".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"], Pr().CodeOwnersLocations);
        Assert.Equal(["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"], CodeOwnersFile.GitLabLocations);
    }

    // ---- the requirement ---------------------------------------------------------------------------------------

    private const string Rules = """
        version: 1
        rules:
          - name: owners
            require: { approvals: [{ codeowners: true }] }
        """;

    private const string Owners = "* @lead\n/src/Billing/ @acme/billing\n/docs/ @writer\n";

    private static readonly ResolvedMembership BillingTeam = new()
    {
        Teams = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["acme/billing"] = new HashSet<string>(["bea"], StringComparer.OrdinalIgnoreCase),
        },
    };

    private static Decision Decide(string? codeOwners, IReadOnlyList<Review> reviews, params string[] paths)
    {
        var rules = RulesParser.Parse(Rules, ".github/reviewbot.yml");
        Assert.True(rules.IsValid, string.Join("; ", rules.Errors));
        var pr = Pr(reviews: reviews, files: [.. paths.Select(p => new ChangedFile { Path = p, Status = FileStatus.Modified, Additions = 1 })])
            with { CodeOwners = codeOwners is null ? null : new RevisionFile(".github/CODEOWNERS", codeOwners, "blob1") };
        return new PolicyEvaluator().Evaluate(rules.Rules!, pr, Human, new RiskReport { Level = RiskLevel.None }, BillingTeam);
    }

    public static TheoryData<string[], string[], DecisionState, string[]> Requirement => new()
    {
        // nobody approved: one line per owner set, each pending
        { ["src/Billing/Invoice.cs", "README.md"], [], DecisionState.Pending,
            ["0/1 code owners of src/Billing/Invoice.cs (@acme/billing)", "0/1 code owners of README.md (@lead)"] },
        // a member of the owning team approves the billing path; the lead still owes README.md
        { ["src/Billing/Invoice.cs", "README.md"], ["bea"], DecisionState.Pending,
            ["1/1 code owners of src/Billing/Invoice.cs (@acme/billing)", "0/1 code owners of README.md (@lead)"] },
        { ["src/Billing/Invoice.cs", "README.md"], ["bea", "lead"], DecisionState.Pass,
            ["1/1 code owners of src/Billing/Invoice.cs (@acme/billing)", "1/1 code owners of README.md (@lead)"] },
        // the lead owns '*' but the later /src/Billing/ entry wins: the lead's approval does not cover it
        { ["src/Billing/Invoice.cs"], ["lead"], DecisionState.Pending, ["0/1 code owners of src/Billing/Invoice.cs (@acme/billing)"] },
        // paths with the same owners share a line
        { ["src/Billing/A.cs", "src/Billing/B.cs"], ["bea"], DecisionState.Pass, ["1/1 code owners of src/Billing/A.cs, src/Billing/B.cs (@acme/billing)"] },
        // an approval from someone who is not an owner of the path does not count
        { ["docs/guide.md"], ["dev"], DecisionState.Pending, ["0/1 code owners of docs/guide.md (@writer)"] },
    };

    [Theory]
    [MemberData(nameof(Requirement))]
    public void Requirement_AnOwnerOfEachTouchedPathMustApprove(string[] paths, string[] approvers, DecisionState state, string[] lines)
    {
        var decision = Decide(Owners, [.. approvers.Select((login, i) => ReviewBy(login, ReviewState.Approved, i + 1))], paths);
        Assert.Equal(state, decision.State);
        Assert.Equal(lines, decision.Approvals.Select(a => $"{a.Approved}/{a.Required} {a.From}"));
    }

    [Fact]
    public void Requirement_WithoutACodeOwnersFile_StaysPendingAndSaysWhy()
    {
        var decision = Decide(null, [ReviewBy("lead", ReviewState.Approved, 1)], "README.md");
        Assert.Equal(DecisionState.Pending, decision.State);
        Assert.Contains("no CODEOWNERS file at the base commit", Assert.Single(decision.Approvals).From);
    }

    [Fact]
    public void Requirement_OverTheSizeBudget_IsNotParsed_AndStaysPendingEvenWithEveryOwnersApproval()
    {
        // A valid file that would own README.md by @lead, padded with comment lines to exactly GitHub's 3 MB limit.
        var padding = new string('#', 99) + "\n";
        var text = "* @lead\n" + string.Concat(Enumerable.Repeat(padding, (CodeOwnersFile.MaxBytes / padding.Length) + 1));
        text = text[..CodeOwnersFile.MaxBytes];

        var file = CodeOwnersFile.Parse(text, ".github/CODEOWNERS");
        var decision = Decide(text, [ReviewBy("lead", ReviewState.Approved, 1)], "README.md");
        var justUnder = Decide(text[..(CodeOwnersFile.MaxBytes - 1)], [ReviewBy("lead", ReviewState.Approved, 1)], "README.md");

        Assert.Empty(file.Sections);
        Assert.Equal(".github/CODEOWNERS is 3,145,728 bytes, at or over the 3,145,728-byte (3 MB) limit past which GitHub does not load a CODEOWNERS file; it is not read", file.Unreadable);
        Assert.Equal(DecisionState.Pending, decision.State);
        var requirement = Assert.Single(decision.Approvals);
        Assert.Equal((1, 0), (requirement.Required, requirement.Approved));
        Assert.Equal($"code owners ({file.Unreadable}, so no owner can approve)", requirement.From);
        Assert.Contains(file.Unreadable, decision.Notes);
        Assert.Equal(DecisionState.Pass, justUnder.State);
    }

    [Fact]
    public void Requirement_NoOwnedPath_AsksNothing_AndFileProblemsAreNotes()
    {
        var decision = Decide("/src/ @a\n!x @b\n", [], "README.md");
        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal(0, Assert.Single(decision.Approvals).Required);
        Assert.Contains(decision.Notes, n => n.StartsWith(".github/CODEOWNERS:2:", StringComparison.Ordinal));
    }

    [Fact]
    public void Requirement_GitLabSectionCountsAndOptionalSections()
    {
        var decision = Decide("[Database][2] @ann @bob\ndb/\n^[Docs] @writer\n*.md\n", [ReviewBy("ann", ReviewState.Approved, 1)], "db/a.sql", "notes.md");
        Assert.Equal(DecisionState.Pending, decision.State);
        Assert.Equal("1/2 code owners of db/a.sql (@ann @bob in section [Database])", $"{decision.Approvals.Single().Approved}/{decision.Approvals.Single().Required} {decision.Approvals.Single().From}");
    }

    [Theory]
    [InlineData("{ codeowners: true, count: 2 }", "drop 'group', 'users', 'teams' and 'count'")]
    [InlineData("{ codeowners: false }", "'codeowners' can only be true")]
    [InlineData("{ codeowners: maybe }", "'codeowners' must be true or false")]
    public void RulesKey_ErrorsArePositioned(string approval, string message)
    {
        var result = RulesParser.Parse($"version: 1\nrules:\n  - name: x\n    require: {{ approvals: [{approval}] }}\n", "r.yml");
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message);
        Assert.Equal(4, error.Line);
    }
}
