using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// Judges one approval requirement against the reviews of the change.
/// <para>Semantics: each reviewer's <em>latest decisive</em> review counts — approved, changes requested or
/// dismissed; a COMMENTED review neither withdraws an approval nor lifts a request for changes. Reviews are
/// ordered by submission time, then platform id, then as given; pending (unsubmitted) reviews are ignored.
/// "Changes requested" by someone who may approve this requirement vetoes it until that review is dismissed
/// or superseded by their approval. An approval counts when the reviewer may approve (in the group / listed,
/// or anyone for a group with <c>anyone: true</c>),
/// is not the PR author (unless <c>author_can_approve</c>), not the initiator (unless
/// <c>initiator_can_approve</c>), not an author or co-author of the commits (unless
/// <c>commit_authors_can_approve</c>), and — with <c>invalidate_on_push</c> — was given on the current head
/// (an approval whose commit the platform does not report is taken as given on the current head).</para>
/// </summary>
internal sealed class ApprovalEvaluator(
    PullRequestSnapshot snapshot,
    AuthorshipVerdict authorship,
    PolicyDefaults defaults,
    IReadOnlyDictionary<string, GroupDefinition> groups,
    ResolvedMembership membership)
{
    private readonly IReadOnlyList<Person> _commitAuthors = Identities.CommitAuthors(snapshot);
    private readonly IReadOnlyList<(string Reviewer, IReadOnlyList<Review> Reviews)> _byReviewer = GroupReviews(snapshot.Reviews);

    public ApprovalRequirementResult Evaluate(string rule, ApprovalRequirement requirement)
    {
        var source = Describe(requirement);
        var eligible = membership.Expand(source.Users, source.Teams);
        var standings = new List<ReviewerStanding>();
        foreach (var (reviewer, reviews) in _byReviewer)
        {
            standings.AddRange(Judge(reviewer, reviews, source.Anyone || eligible.Contains(reviewer), source.From));
        }

        var counted = standings.Where(s => s.Verdict == ReviewerVerdict.Counted).Select(s => s.Reviewer).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ApprovalRequirementResult
        {
            Rule = rule,
            From = source.From,
            Required = requirement.Count,
            Approved = counted.Count,
            Vetoed = standings.Any(s => s.Verdict == ReviewerVerdict.Veto),
            Reviewers = standings,
            EligibleUsers = source.Users.Where(u => Exclusion(u) is null && !counted.Contains(u))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            EligibleTeams = source.Teams.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    /// <summary>How many people could still approve: eligible members that are not excluded; null when anyone may.</summary>
    public int? PossibleApprovers(ApprovalRequirement requirement)
    {
        var source = Describe(requirement);
        return source.Anyone ? null : membership.Expand(source.Users, source.Teams).Count(u => Exclusion(u) is null);
    }

    /// <summary>Never request a review from the author or the initiator.</summary>
    public bool MayBeRequested(string login)
        => !Identities.PersonIs(snapshot.Author, login) && !Identities.IdentityIs(authorship.Initiator, login);

    private sealed record Source(string From, IReadOnlyList<string> Users, IReadOnlyList<string> Teams, bool Anyone);

    private Source Describe(ApprovalRequirement requirement)
    {
        if (requirement.Group is { } name)
        {
            var group = groups.TryGetValue(name, out var g) ? g : new GroupDefinition { Name = name };
            return new Source(
                group.Anyone ? $"group {name} (any reviewer)" : $"group {name}",
                group.Users.Concat(requirement.Users).ToList(),
                group.Teams.Concat(requirement.Teams).ToList(),
                group.Anyone);
        }

        var parts = new List<string>();
        if (requirement.Users.Count > 0)
        {
            parts.Add((requirement.Users.Count == 1 ? "user " : "users ") + string.Join(", ", requirement.Users));
        }

        if (requirement.Teams.Count > 0)
        {
            parts.Add((requirement.Teams.Count == 1 ? "team " : "teams ") + string.Join(", ", requirement.Teams));
        }

        return new Source(parts.Count == 0 ? "nobody" : string.Join(" or ", parts), requirement.Users, requirement.Teams, false);
    }

    private IEnumerable<ReviewerStanding> Judge(string reviewer, IReadOnlyList<Review> reviews, bool eligible, string from)
    {
        var decisive = reviews.Where(r => r.State is ReviewState.Approved or ReviewState.ChangesRequested or ReviewState.Dismissed).ToList();
        if (decisive.Count == 0)
        {
            yield break; // comments only: no standing
        }

        var latest = decisive[^1];
        if (!eligible)
        {
            if (latest.State == ReviewState.Approved)
            {
                yield return new(reviewer, ReviewerVerdict.NotInGroup, $"approved, but is not in {from}");
            }
            else if (latest.State == ReviewState.ChangesRequested)
            {
                yield return new(reviewer, ReviewerVerdict.NotInGroup, $"requested changes, but is not in {from}, so it does not veto");
            }

            yield break;
        }

        var earlierApproval = decisive.Take(decisive.Count - 1).LastOrDefault(r => r.State == ReviewState.Approved);
        if (latest.State != ReviewState.Approved && earlierApproval is not null)
        {
            var by = latest.State == ReviewState.ChangesRequested ? "their later request for changes" : "their later review (since dismissed)";
            yield return new(reviewer, ReviewerVerdict.Superseded, $"approved {On(earlierApproval)}, superseded by {by}");
        }

        switch (latest.State)
        {
            case ReviewState.ChangesRequested:
                yield return new(reviewer, ReviewerVerdict.Veto,
                    $"requested changes {On(latest)}; vetoes until that review is dismissed or superseded by their approval");
                break;
            case ReviewState.Dismissed:
                yield return new(reviewer, ReviewerVerdict.Dismissed, "their latest review was dismissed: no approval, no veto");
                break;
            default:
                yield return JudgeApproval(reviewer, latest, reviews[^1] != latest);
                break;
        }
    }

    private ReviewerStanding JudgeApproval(string reviewer, Review approval, bool laterComments)
    {
        if (Exclusion(reviewer) is { } exclusion)
        {
            return new(reviewer, exclusion.Verdict, $"approved {On(approval)}, but {exclusion.Reason}");
        }

        var comments = laterComments ? "; later comments do not withdraw it" : "";
        if (approval.CommitSha is null)
        {
            return new(reviewer, ReviewerVerdict.Counted, $"approved (the platform does not say on which commit; taken as the current head){comments}");
        }

        if (SameSha(approval.CommitSha, snapshot.HeadSha))
        {
            return new(reviewer, ReviewerVerdict.Counted, $"approved {On(approval)}, the current head{comments}");
        }

        return defaults.InvalidateOnPush
            ? new(reviewer, ReviewerVerdict.Stale, $"approved {On(approval)}, an older head; the head is now {snapshot.ShortHeadSha} (invalidate_on_push: true)")
            : new(reviewer, ReviewerVerdict.Counted, $"approved {On(approval)}, an older head (invalidate_on_push: false){comments}");
    }

    private (ReviewerVerdict Verdict, string Reason)? Exclusion(string login)
    {
        if (!defaults.AuthorCanApprove && Identities.PersonIs(snapshot.Author, login))
        {
            return (ReviewerVerdict.Author, "is the author of the pull request (author_can_approve: false)");
        }

        if (!defaults.InitiatorCanApprove && Identities.IdentityIs(authorship.Initiator, login))
        {
            return (ReviewerVerdict.Initiator, "dispatched the agent that made the change (initiator_can_approve: false)");
        }

        if (!defaults.CommitAuthorsCanApprove && _commitAuthors.Any(p => Identities.PersonIs(p, login)))
        {
            return (ReviewerVerdict.CoAuthor, "authored or co-authored commits of the change (commit_authors_can_approve: false)");
        }

        return null;
    }

    private static string On(Review review) => review.CommitSha is { Length: > 0 } sha ? "on " + (sha.Length > 7 ? sha[..7] : sha) : "(commit not reported)";

    private static bool SameSha(string a, string b)
        => a.Length >= 7 && b.Length >= 7 && (a.StartsWith(b, StringComparison.OrdinalIgnoreCase) || b.StartsWith(a, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<(string, IReadOnlyList<Review>)> GroupReviews(IReadOnlyList<Review> reviews)
        => reviews
            .Select((review, index) => (review, index))
            .Where(x => x.review.State != ReviewState.Pending)
            .OrderBy(x => x.review.SubmittedAt ?? DateTimeOffset.MinValue)
            .ThenBy(x => x.review.Id ?? long.MinValue)
            .ThenBy(x => x.index)
            .GroupBy(x => x.review.Reviewer.Login ?? x.review.Reviewer.Display, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key, (IReadOnlyList<Review>)g.Select(x => x.review).ToList()))
            .ToList();
}
