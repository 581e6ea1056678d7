using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class ApprovalEvaluationTests
{
    private static ApprovalRequirementResult Single(Decision decision) => Assert.Single(decision.Approvals);

    private static ReviewerStanding StandingOf(Decision decision, string reviewer)
        => Assert.Single(Single(decision).Reviewers, r => r.Reviewer == reviewer);

    [Fact]
    public void Approval_from_a_group_member_on_the_head_counts_and_passes()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));

        Assert.Equal(DecisionState.Pass, decision.State);
        var approval = Single(decision);
        Assert.Equal(1, approval.Approved);
        Assert.Equal(0, approval.Missing);
        Assert.Equal("group seniors", approval.From);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(decision, "alice").Verdict);
        Assert.Contains("current head", StandingOf(decision, "alice").Reason);
    }

    [Fact]
    public void No_reviews_leaves_the_requirement_pending_and_requests_eligible_members()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors(2)), Pr());

        Assert.Equal(DecisionState.Pending, decision.State);
        Assert.Equal(2, Single(decision).Missing);
        Assert.Equal("Needs 2 approvals from group seniors", decision.Title);
        Assert.Equal(["alice", "bob"], decision.ReviewersToRequest);
        Assert.Equal(["acme/senior-engineers"], decision.TeamsToRequest);
    }

    [Theory]
    [InlineData(true, ReviewerVerdict.Stale, DecisionState.Pending)]
    [InlineData(false, ReviewerVerdict.Counted, DecisionState.Pass)]
    public void Approval_of_an_older_head_is_stale_only_with_invalidate_on_push(bool invalidate, ReviewerVerdict verdict, DecisionState state)
    {
        var rules = Rules(new PolicyDefaults { InvalidateOnPush = invalidate ? PushInvalidation.AnyPush : PushInvalidation.Never }, NeedsSeniors());
        var decision = Evaluate(rules, Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1, OldHead)]));

        Assert.Equal(verdict, StandingOf(decision, "alice").Verdict);
        Assert.Equal(state, decision.State);
        Assert.Contains("bbbbbbb", StandingOf(decision, "alice").Reason);
    }

    [Fact]
    public void A_fresh_approval_after_a_stale_one_counts()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1, OldHead),
            ReviewBy("alice", ReviewState.Approved, 5, Head),
        ]));

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(decision, "alice").Verdict);
    }

    [Fact]
    public void Approval_without_a_reported_commit_counts_for_nothing_unless_given_after_the_latest_push()
    {
        var rules = Rules(null, NeedsSeniors());
        var review = ReviewBy("alice", ReviewState.Approved, 10, sha: null);
        Push PushAt(int minute, string head = Head) => new() { Pusher = new Person { Login = "dev" }, Head = head, At = review.SubmittedAt!.Value.AddMinutes(minute - 10), Source = "test" };

        var unknown = StandingOf(Evaluate(rules, Pr(reviews: [review])), "alice");
        var afterPush = StandingOf(Evaluate(rules, Pr(reviews: [review]) with { LastPush = PushAt(5) }), "alice");
        var beforePush = StandingOf(Evaluate(rules, Pr(reviews: [review]) with { LastPush = PushAt(15) }), "alice");
        var pushOfAnotherHead = StandingOf(Evaluate(rules, Pr(reviews: [review]) with { LastPush = PushAt(5, OldHead) }), "alice");
        var neverInvalidated = StandingOf(Evaluate(Rules(new PolicyDefaults { InvalidateOnPush = PushInvalidation.Never }, NeedsSeniors()), Pr(reviews: [review])), "alice");

        Assert.Equal(ReviewerVerdict.Stale, unknown.Verdict);
        Assert.Contains("counts for nothing once the head has moved", unknown.Reason);
        Assert.Equal(ReviewerVerdict.Counted, afterPush.Verdict);
        Assert.Equal(ReviewerVerdict.Stale, beforePush.Verdict);
        Assert.Equal(ReviewerVerdict.Stale, pushOfAnotherHead.Verdict);
        Assert.Equal(ReviewerVerdict.Counted, neverInvalidated.Verdict);
    }

    [Theory]
    [InlineData(false, ReviewerVerdict.Author)]
    [InlineData(true, ReviewerVerdict.Counted)]
    public void Self_approval_counts_only_with_author_can_approve(bool allowed, ReviewerVerdict verdict)
    {
        var rules = Rules(new PolicyDefaults { AuthorCanApprove = allowed, CommitAuthorsCanApprove = true }, NeedsSeniors());
        var decision = Evaluate(rules, Pr(author: "alice", reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));

        Assert.Equal(verdict, StandingOf(decision, "alice").Verdict);
        Assert.DoesNotContain("alice", decision.ReviewersToRequest);
    }

    [Theory]
    [InlineData(false, ReviewerVerdict.Initiator, DecisionState.Pending)]
    [InlineData(true, ReviewerVerdict.Counted, DecisionState.Pass)]
    public void Initiator_of_the_agent_counts_only_with_initiator_can_approve(bool allowed, ReviewerVerdict verdict, DecisionState state)
    {
        var rules = Rules(new PolicyDefaults { InitiatorCanApprove = allowed }, NeedsSeniors());
        var snapshot = Pr(author: "copilot-swe-agent[bot]", commits: [GitCommit("Copilot", "198982749+Copilot@users.noreply.github.com")],
            reviews: [ReviewBy("bob", ReviewState.Approved, 1)]);
        var decision = Evaluate(rules, snapshot, AiAuthored(initiator: "bob"));

        Assert.Equal(verdict, StandingOf(decision, "bob").Verdict);
        Assert.Equal(state, decision.State);
        Assert.DoesNotContain("bob", decision.ReviewersToRequest);
        Assert.Equal(state == DecisionState.Pending ? ["alice"] : [], decision.ReviewersToRequest);
    }

    [Theory]
    [InlineData("Co-authored-by", "Alice Smith <12345+alice@users.noreply.github.com>", ReviewerVerdict.CoAuthor)]
    [InlineData("Co-authored-by", "alice <alice@acme.example>", ReviewerVerdict.CoAuthor)]
    [InlineData("Reviewed-by", "Alice Smith <12345+alice@users.noreply.github.com>", ReviewerVerdict.Counted)]
    public void Co_authors_of_the_commits_do_not_count(string trailerKey, string trailerValue, ReviewerVerdict verdict)
    {
        var commit = GitCommit("dev", null, new Trailer(trailerKey, trailerValue));
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(commits: [commit], reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));

        Assert.Equal(verdict, StandingOf(decision, "alice").Verdict);
    }

    [Fact]
    public void A_commit_author_matched_by_git_name_does_not_count_unless_allowed()
    {
        var snapshot = Pr(commits: [GitCommit("bob", "bob@acme.example")], reviews: [ReviewBy("bob", ReviewState.Approved, 1)]);

        Assert.Equal(ReviewerVerdict.CoAuthor, StandingOf(Evaluate(Rules(null, NeedsSeniors()), snapshot), "bob").Verdict);
        var allowed = Rules(new PolicyDefaults { CommitAuthorsCanApprove = true }, NeedsSeniors());
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(Evaluate(allowed, snapshot), "bob").Verdict);
    }

    [Fact]
    public void Approval_from_outside_the_group_does_not_count()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews: [ReviewBy("mallory", ReviewState.Approved, 1)]));

        Assert.Equal(DecisionState.Pending, decision.State);
        var standing = StandingOf(decision, "mallory");
        Assert.Equal(ReviewerVerdict.NotInGroup, standing.Verdict);
        Assert.Contains("not in group seniors", standing.Reason);
    }

    [Fact]
    public void Team_members_count_when_the_team_is_resolved_and_not_otherwise()
    {
        var rules = Rules(null, NeedsSeniors());
        var snapshot = Pr(reviews: [ReviewBy("carol", ReviewState.Approved, 1)]);

        var resolved = Evaluate(rules, snapshot, membership: Teams(("acme/senior-engineers", ["Carol"])));
        var unresolved = Evaluate(rules, snapshot);

        Assert.Equal(ReviewerVerdict.Counted, StandingOf(resolved, "carol").Verdict);
        Assert.Equal(ReviewerVerdict.NotInGroup, StandingOf(unresolved, "carol").Verdict);
    }

    [Fact]
    public void Inline_users_and_teams_are_an_approval_source()
    {
        var rule = new PolicyRule
        {
            Name = "inline",
            Require = new Requirements { Approvals = [new ApprovalRequirement { Users = ["dora"], Teams = ["acme/appsec"], Count = 2 }] },
        };
        var decision = Evaluate(Rules(null, rule), Pr(reviews: [ReviewBy("dora", ReviewState.Approved, 1), ReviewBy("erin", ReviewState.Approved, 2)]),
            membership: Teams(("acme/appsec", ["erin"])));

        Assert.Equal("user dora or team acme/appsec", Single(decision).From);
        Assert.Equal(DecisionState.Pass, decision.State);
    }

    [Fact]
    public void Changes_requested_by_a_member_vetoes_and_fails()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1),
            ReviewBy("bob", ReviewState.ChangesRequested, 2),
        ]));

        Assert.Equal(DecisionState.Fail, decision.State);
        Assert.True(Single(decision).Vetoed);
        Assert.False(Single(decision).Satisfied);
        Assert.Equal(ReviewerVerdict.Veto, StandingOf(decision, "bob").Verdict);
        Assert.Equal("Changes requested by bob", decision.Title);
    }

    [Fact]
    public void Changes_requested_by_a_non_member_does_not_veto()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1),
            ReviewBy("mallory", ReviewState.ChangesRequested, 2),
        ]));

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Contains("does not veto", StandingOf(decision, "mallory").Reason);
    }

    [Theory]
    [InlineData(ReviewState.Dismissed, DecisionState.Pending, ReviewerVerdict.Dismissed)]
    [InlineData(ReviewState.Approved, DecisionState.Pass, ReviewerVerdict.Counted)]
    [InlineData(ReviewState.Commented, DecisionState.Fail, ReviewerVerdict.Veto)]
    public void A_veto_stands_until_dismissed_or_superseded_by_approval(ReviewState later, DecisionState state, ReviewerVerdict verdict)
    {
        // A dismissed review is reported in its dismissed state; a later comment does not lift the veto.
        var first = later == ReviewState.Dismissed ? ReviewState.Dismissed : ReviewState.ChangesRequested;
        var reviews = later == ReviewState.Dismissed
            ? new[] { ReviewBy("bob", first, 1) }
            : [ReviewBy("bob", first, 1), ReviewBy("bob", later, 2)];
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews: reviews));

        Assert.Equal(state, decision.State);
        Assert.Equal(verdict, StandingOf(decision, "bob").Verdict);
    }

    [Fact]
    public void A_comment_after_an_approval_does_not_withdraw_it()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1),
            ReviewBy("alice", ReviewState.Commented, 2),
        ]));

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Contains("later comments do not withdraw it", StandingOf(decision, "alice").Reason);
    }

    [Fact]
    public void Comment_only_reviewers_have_no_standing()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews: [ReviewBy("alice", ReviewState.Commented, 1)]));

        Assert.Empty(Single(decision).Reviewers);
        Assert.Equal(DecisionState.Pending, decision.State);
    }

    [Fact]
    public void An_approval_followed_by_changes_requested_is_superseded_and_vetoes()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1),
            ReviewBy("alice", ReviewState.ChangesRequested, 2),
        ]));

        var verdicts = Single(decision).Reviewers.Where(r => r.Reviewer == "alice").Select(r => r.Verdict);
        Assert.Equal([ReviewerVerdict.Superseded, ReviewerVerdict.Veto], verdicts);
        Assert.Equal(0, Single(decision).Approved);
        Assert.Equal(DecisionState.Fail, decision.State);
    }

    [Fact]
    public void Reviews_are_ordered_by_submission_time_not_list_order()
    {
        // Listed out of order: the approval at minute 5 is the latest.
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 5),
            ReviewBy("alice", ReviewState.ChangesRequested, 1),
        ]));

        Assert.Equal(DecisionState.Pass, decision.State);
    }

    [Fact]
    public void Pending_reviews_are_ignored()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews:
        [
            ReviewBy("alice", ReviewState.Approved, 1),
            ReviewBy("alice", ReviewState.Pending, 2),
        ]));

        Assert.Equal(DecisionState.Pass, decision.State);
    }

    [Fact]
    public void Counted_approvers_are_not_requested_again_and_satisfied_requirements_request_nobody()
    {
        var pending = Evaluate(Rules(null, NeedsSeniors(2)), Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));
        var met = Evaluate(Rules(null, NeedsSeniors(1)), Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));

        Assert.Equal(["bob"], pending.ReviewersToRequest);
        Assert.Empty(met.ReviewersToRequest);
        Assert.Empty(met.TeamsToRequest);
    }

    [Fact]
    public void Too_few_possible_approvers_is_noted()
    {
        var rule = new PolicyRule
        {
            Name = "two of one",
            Require = new Requirements { Approvals = [new ApprovalRequirement { Users = ["dora"], Count = 2 }] },
        };
        var decision = Evaluate(Rules(null, rule), Pr());

        Assert.Contains(decision.Notes, n => n.Contains("1 possible approver(s) for 2 required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_group_of_anyone_counts_any_reviewer_but_the_excluded_and_requests_nobody()
    {
        var rules = Rules(null, new PolicyRule
        {
            Name = "any reviewer",
            Require = new Requirements { Approvals = [new ApprovalRequirement { Group = "reviewers", Count = 2 }] },
        }) with
        {
            Groups = new Dictionary<string, GroupDefinition>(StringComparer.OrdinalIgnoreCase) { ["reviewers"] = new() { Name = "reviewers", Anyone = true } },
        };
        var decision = Evaluate(rules, Pr(author: "dev", reviews: [ReviewBy("zed", ReviewState.Approved, 1), ReviewBy("dev", ReviewState.Approved, 2)]));

        var approval = Assert.Single(decision.Approvals);
        Assert.Equal("group reviewers (any reviewer)", approval.From);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(decision, "zed").Verdict);
        Assert.Equal(ReviewerVerdict.Author, StandingOf(decision, "dev").Verdict);
        Assert.Equal(1, approval.Missing);
        Assert.Empty(decision.ReviewersToRequest);
        Assert.DoesNotContain(decision.Notes, n => n.Contains("possible approver", StringComparison.Ordinal));
    }
}
