using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

/// <summary>
/// Who counts as an independent human (IndependentHuman): bots, initiators from platform facts and from text,
/// commit authors matched through the platform or failing closed, the last pusher, and approvals that survive a
/// rebase only when the pull request's diff is unchanged.
/// </summary>
public sealed class IndependentHumanTests
{
    private static ReviewerStanding StandingOf(Decision decision, string reviewer)
        => Assert.Single(Assert.Single(decision.Approvals).Reviewers, r => r.Reviewer == reviewer);

    private static PolicyRule AnyReviewer(bool botsCanApprove = false) => new()
    {
        Name = "AI-authored changes need a human approval",
        If = TestCondition.Always,
        Require = new Requirements { Approvals = [new ApprovalRequirement { Group = "reviewers", BotsCanApprove = botsCanApprove }] },
    };

    private static RulesFile AnyoneRules(PolicyDefaults? defaults = null, bool botsCanApprove = false) => Rules(defaults, AnyReviewer(botsCanApprove)) with
    {
        Groups = new Dictionary<string, GroupDefinition>(StringComparer.OrdinalIgnoreCase) { ["reviewers"] = new() { Name = "reviewers", Anyone = true } },
    };

    private static Review Approval(Person reviewer, string? sha = Head) => ReviewBy("x", ReviewState.Approved, 1, sha) with { Reviewer = reviewer };

    public static TheoryData<string, Person> Bots() => new()
    {
        { "platform bot flag", new Person { Login = "release-helper", IsBot = true } },
        { "[bot] login", new Person { Login = "github-actions[bot]" } },
        { "agent app login", new Person { Login = "devin-ai-integration[bot]" } },
        { "GraphQL app login", new Person { Login = "app/renovate" } },
        { "GitLab project access token", new Person { Login = "project_42_bot_3f2a", IsBot = true } },
        { "account the rules list as automation", new Person { Login = "acme-release" } },
    };

    [Theory]
    [MemberData(nameof(Bots))]
    public void A_bot_approval_never_counts_unless_the_requirement_allows_bots(string what, Person bot)
    {
        var rules = AnyoneRules() with { Agents = new AgentCatalogExtension { AutomationLogins = ["acme-release"] } };
        var snapshot = Pr(reviews: [Approval(bot)]);

        var refused = StandingOf(Evaluate(rules, snapshot, AiAuthored()), bot.Login!);
        var allowed = StandingOf(Evaluate(AnyoneRules(botsCanApprove: true) with { Agents = rules.Agents }, snapshot, AiAuthored()), bot.Login!);

        Assert.True(refused.Verdict == ReviewerVerdict.Bot, what);
        Assert.Contains("bots never count", refused.Reason);
        Assert.Equal(ReviewerVerdict.Counted, allowed.Verdict);
    }

    [Fact]
    public void Editing_the_body_or_the_assignees_cannot_make_the_dispatchers_approval_count()
    {
        // Devin opened it; its commits carry no co-author. The body first named bob, then was edited to name carol,
        // and bob was unassigned: every name stays excluded, and the platform's own assignment event comes first.
        var snapshot = Pr(author: "devin-ai-integration[bot]",
            commits: [GitCommit("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com")],
            reviews: [Approval(new Person { Login = "bob" }), Approval(new Person { Login = "carol" }), Approval(new Person { Login = "dora" }),
                Approval(new Person { Login = "erin" })]) with
        {
            Author = new Person { Login = "devin-ai-integration[bot]", Id = 158243242, IsBot = true },
            Body = "Requested by: Carol (@carol)",
            EarlierBodies = ["Requested by: bob"],
            Assignees = [],
            EverAssigned = [new Person { Login = "dora" }],
            Dispatchers = [new Dispatch { Person = new Person { Login = "erin" }, Fact = "assigned devin-ai-integration[bot] (issue event 9)" }],
        };
        var verdict = new AuthorshipClassifier().Classify(snapshot);

        var decision = Evaluate(AnyoneRules(), snapshot, verdict);

        Assert.Equal("erin", verdict.Initiator);
        Assert.Equal(Confidence.High, verdict.InitiatorConfidence);
        Assert.Equal([InitiatorSource.Platform, InitiatorSource.Text, InitiatorSource.Text, InitiatorSource.Text], verdict.Initiators.Select(i => i.Source));
        foreach (var login in new[] { "bob", "carol", "dora", "erin" })
        {
            Assert.Equal(ReviewerVerdict.Initiator, StandingOf(decision, login).Verdict);
        }

        Assert.Contains("earlier version of the pull request body", StandingOf(decision, "bob").Reason);
        Assert.Equal(DecisionState.Pending, decision.State);
    }

    [Fact]
    public void An_initiator_known_only_from_text_has_low_confidence()
    {
        var snapshot = Pr(author: "devin-ai-integration[bot]", commits: [GitCommit("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com")]) with
        {
            Author = new Person { Login = "devin-ai-integration[bot]", Id = 158243242, IsBot = true },
            Body = "Requested by: bob",
        };

        var verdict = new AuthorshipClassifier().Classify(snapshot);

        Assert.Equal("bob", verdict.Initiator);
        Assert.Equal(Confidence.Low, verdict.InitiatorConfidence);
        Assert.Contains("can edit", Assert.Single(verdict.Initiators).How);
        Assert.Contains("dispatched by bob (known only from text the author can edit: low confidence)", verdict.Reason);
    }

    [Fact]
    public void A_co_author_under_another_email_does_not_count_once_the_platform_matches_it()
    {
        var commit = GitCommit("dev", "dev@acme.example", new Trailer("Co-authored-by", "B. Smith <bsmith@corp.example>")) with
        {
            Author = new Person { Login = "dev", Name = "dev", Email = "dev@acme.example" },
        };
        var snapshot = Pr(commits: [commit], reviews: [Approval(new Person { Login = "bob" }), Approval(new Person { Login = "carol" })]) with
        {
            ResolvedIdentities = [new ResolvedIdentity { Email = "bsmith@corp.example", Account = new Person { Login = "bob", Id = 7 } }],
        };

        var decision = Evaluate(AnyoneRules(), snapshot);

        Assert.Equal(ReviewerVerdict.CoAuthor, StandingOf(decision, "bob").Verdict);
        Assert.Contains("matched by the platform", StandingOf(decision, "bob").Reason);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(decision, "carol").Verdict);
        Assert.DoesNotContain(decision.Notes, n => n.Contains("could not match", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bsmith", null, ReviewerVerdict.CoAuthor)]     // login is the email's local part
    [InlineData("bob", "B. Smith", ReviewerVerdict.CoAuthor)]   // platform name is the git name
    [InlineData("carol", "Carol Jones", ReviewerVerdict.Counted)]
    public void An_unmatched_co_author_fails_closed_for_anyone_who_cannot_be_told_apart(string login, string? name, ReviewerVerdict verdict)
    {
        var commit = GitCommit("dev", "dev@acme.example", new Trailer("Co-authored-by", "B. Smith <bsmith@corp.example>")) with
        {
            Author = new Person { Login = "dev", Name = "dev", Email = "dev@acme.example" },
        };
        var snapshot = Pr(commits: [commit], reviews: [Approval(new Person { Login = login, Name = name })]) with
        {
            ResolvedIdentities = [new ResolvedIdentity { Email = "bsmith@corp.example", Account = null }],
        };

        var decision = Evaluate(AnyoneRules(), snapshot);

        Assert.Equal(verdict, StandingOf(decision, login).Verdict);
        Assert.Contains(decision.Notes, n => n.Contains("B. Smith <bsmith@corp.example>", StringComparison.Ordinal));
        if (verdict == ReviewerVerdict.CoAuthor)
        {
            Assert.Contains("cannot be told apart", StandingOf(decision, login).Reason);
        }
    }

    [Theory]
    [InlineData(true, ReviewerVerdict.LastPusher)]
    [InlineData(false, ReviewerVerdict.Counted)]
    public void The_last_pusher_does_not_count_with_exclude_last_pusher(bool exclude, ReviewerVerdict verdict)
    {
        var snapshot = Pr(reviews: [Approval(new Person { Login = "pat", Id = 31 })]) with
        {
            LastPush = new Push { Pusher = new Person { Login = "pat", Id = 31 }, Head = Head, Source = "GitHub push activity" },
        };

        var standing = StandingOf(Evaluate(AnyoneRules(new PolicyDefaults { ExcludeLastPusher = exclude }), snapshot), "pat");

        Assert.Equal(verdict, standing.Verdict);
        if (exclude)
        {
            Assert.Contains("pushed the latest commits (GitHub push activity)", standing.Reason);
        }
    }

    [Fact]
    public void Without_a_reported_push_the_head_committer_stands_in_for_the_last_pusher()
    {
        var head = GitCommit("pat", "pat@acme.example") with { Sha = Head };
        var snapshot = Pr(commits: [head], reviews: [Approval(new Person { Login = "pat" })]);
        var rules = AnyoneRules(new PolicyDefaults { ExcludeLastPusher = true, CommitAuthorsCanApprove = true });

        var standing = StandingOf(Evaluate(rules, snapshot), "pat");

        Assert.Equal(ReviewerVerdict.LastPusher, standing.Verdict);
        Assert.Contains("did not report the last push", standing.Reason);
    }

    [Theory]
    [InlineData("same", "same", ReviewerVerdict.Counted, "same diff")]
    [InlineData("before", "after", ReviewerVerdict.Stale, "diff changed")]
    [InlineData(null, "after", ReviewerVerdict.Stale, "could not tell")]
    public void With_when_diff_changes_an_approval_survives_a_push_only_when_the_diff_is_unchanged(string? then, string now, ReviewerVerdict verdict, string reason)
    {
        var patchIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Head] = now };
        if (then is not null)
        {
            patchIds[OldHead] = then;
        }

        var snapshot = Pr(reviews: [Approval(new Person { Login = "alice" }, OldHead)]) with { PatchIds = patchIds };
        var rules = AnyoneRules(new PolicyDefaults { InvalidateOnPush = PushInvalidation.WhenDiffChanges });

        var standing = StandingOf(Evaluate(rules, snapshot), "alice");

        Assert.Equal(verdict, standing.Verdict);
        Assert.Contains(reason, standing.Reason);
    }
}
