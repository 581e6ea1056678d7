using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>An approval requirement's result, and whether a login could count towards it (not judging independence).</summary>
internal sealed record ApprovalDemand(ApprovalRequirementResult Result, Func<string, bool> CouldCount);

/// <summary>
/// Judges one approval requirement against the reviews of the change.
/// <para>Semantics: each reviewer's <em>latest decisive</em> review counts — approved, changes requested or
/// dismissed; a COMMENTED review neither withdraws an approval nor lifts a request for changes. Reviews are
/// ordered by submission time, then platform id, then as given; pending (unsubmitted) reviews are ignored.
/// "Changes requested" by someone who may approve this requirement vetoes it until that review is dismissed
/// or superseded by their approval. An approval counts when the reviewer may approve (in the group / listed,
/// or anyone for a group with <c>anyone: true</c>), is an <see cref="IndependentHuman"/>, and was given on a head
/// the push rule accepts: with <c>invalidate_on_push: true</c> the current head; with <c>when_diff_changes</c> any
/// head whose patch id equals the current head's; with <c>false</c> any head. An approval whose commit the platform
/// does not report counts only when the platform shows it was given after the latest push.</para>
/// </summary>
internal sealed class ApprovalEvaluator(
    PullRequestSnapshot snapshot,
    AuthorshipVerdict authorship,
    PolicyDefaults defaults,
    IReadOnlyDictionary<string, GroupDefinition> groups,
    ResolvedMembership membership,
    IdentityCatalog catalog)
{
    private readonly IndependentHuman _independent = new(snapshot, authorship, defaults, catalog);
    private readonly IReadOnlyList<(string Reviewer, IReadOnlyList<Review> Reviews)> _byReviewer = GroupReviews(snapshot.Reviews);
    private readonly Lazy<CodeOwnersFile?> _codeOwners = new(() => snapshot.CodeOwners is { } file ? CodeOwnersFile.Of(file) : null);

    public ApprovalRequirementResult Evaluate(string rule, ApprovalRequirement requirement) => Demand(rule, requirement).Result;

    /// <summary>One requirement's result, and who could count towards it (in the group or listed; anyone for <c>anyone: true</c>).</summary>
    private ApprovalDemand Demand(string rule, ApprovalRequirement requirement)
    {
        var source = Describe(requirement);
        var eligible = membership.Expand(source.Users, source.Teams);
        var standings = new List<ReviewerStanding>();
        foreach (var (reviewer, reviews) in _byReviewer)
        {
            standings.AddRange(Judge(reviewer, reviews, source.Anyone || eligible.Contains(reviewer), source.From, requirement.BotsCanApprove));
        }

        var counted = standings.Where(s => s.Verdict == ReviewerVerdict.Counted).Select(s => s.Reviewer).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ApprovalDemand(new ApprovalRequirementResult
        {
            Rule = rule,
            From = source.From,
            Required = requirement.Count,
            Approved = counted.Count,
            Vetoed = standings.Any(s => s.Verdict == ReviewerVerdict.Veto),
            Reviewers = standings,
            EligibleUsers = source.Users.Where(u => Excluded(u, requirement) is null && !counted.Contains(u))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            EligibleTeams = source.Teams.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        }, login => source.Anyone || eligible.Contains(login));
    }

    /// <summary>
    /// The results of one requirement: one, or for <c>codeowners: true</c> one per set of touched paths sharing the same
    /// owners (per CODEOWNERS section), each needing the section's count of approvals from those owners. No CODEOWNERS
    /// file at the base, or one too large to read, means nobody can approve (fails closed, pending, saying so); touched
    /// paths with no owner need none.
    /// </summary>
    public IReadOnlyList<ApprovalRequirementResult> EvaluateAll(string rule, ApprovalRequirement requirement)
        => [.. Demands(rule, requirement).Select(d => d.Result)];

    /// <summary><see cref="EvaluateAll"/>, each result with who could count towards it (nobody, when no CODEOWNERS file says).</summary>
    public IReadOnlyList<ApprovalDemand> Demands(string rule, ApprovalRequirement requirement)
    {
        if (!requirement.CodeOwners)
        {
            return [Demand(rule, requirement)];
        }

        UsesCodeOwners = true;
        if (_codeOwners.Value is not { } file)
        {
            var looked = string.Join(", ", snapshot.CodeOwnersLocations);
            return [new ApprovalDemand(new ApprovalRequirementResult { Rule = rule, From = $"code owners (no CODEOWNERS file at the base commit; looked for {looked})", Required = 1, Approved = 0 }, _ => false)];
        }

        if (file.Unreadable is { } unreadable)
        {
            return [new ApprovalDemand(new ApprovalRequirementResult { Rule = rule, From = $"code owners ({unreadable}, so no owner can approve)", Required = 1, Approved = 0 }, _ => false)];
        }

        var owned = OwnedPaths(file);
        if (owned.Count == 0)
        {
            return [new ApprovalDemand(new ApprovalRequirementResult { Rule = rule, From = $"code owners (no touched path has an owner in {file.Path})", Required = 0, Approved = 0 }, _ => false)];
        }

        return owned.Select(o =>
        {
            var demand = Demand(rule, new ApprovalRequirement
            {
                Users = o.Owners.Select(Login).OfType<string>().ToList(),
                Teams = o.Owners.Select(x => x.Team).OfType<string>().ToList(),
                Count = o.Section.Approvals,
                BotsCanApprove = requirement.BotsCanApprove,
                Position = requirement.Position,
            });
            var paths = o.Paths.Count <= 3 ? string.Join(", ", o.Paths) : $"{string.Join(", ", o.Paths.Take(3))} and {o.Paths.Count - 3} more";
            var section = o.Section.Name is { } name ? $" in section [{name}]" : "";
            return demand with { Result = demand.Result with { From = $"code owners of {paths} ({string.Join(" ", o.Owners)}{section})" } };
        }).ToList();
    }

    /// <summary>A codeowners requirement was evaluated: its file's problems belong in the decision's notes.</summary>
    public bool UsesCodeOwners { get; private set; }

    /// <summary>The parsed CODEOWNERS file at the base; null when the snapshot carries none.</summary>
    public CodeOwnersFile? CodeOwners => _codeOwners.Value;

    private sealed record OwnedGroup(CodeOwnersSection Section, IReadOnlyList<CodeOwner> Owners, List<string> Paths);

    /// <summary>Touched paths (a rename's old path too: its owners lose the file) grouped by section and owners; optional sections and ownerless entries ask nothing.</summary>
    private List<OwnedGroup> OwnedPaths(CodeOwnersFile file)
    {
        var groups = new List<OwnedGroup>();
        var paths = snapshot.Files.SelectMany(f => f.PreviousPath is { } previous && previous != f.Path ? new[] { f.Path, previous } : [f.Path]);
        foreach (var ownership in paths.Distinct(StringComparer.Ordinal).SelectMany(file.OwnersOf))
        {
            if (ownership.Section.Optional || ownership.Entry.Owners.Count == 0)
            {
                continue;
            }

            var group = groups.FirstOrDefault(g => g.Section == ownership.Section && g.Owners.SequenceEqual(ownership.Entry.Owners));
            if (group is null)
            {
                group = new OwnedGroup(ownership.Section, ownership.Entry.Owners, []);
                groups.Add(group);
            }

            group.Paths.Add(ownership.Path);
        }

        return groups;
    }

    /// <summary>An owner's login: the user, or the account the platform matched an email owner to (null: none, so it approves nothing).</summary>
    private string? Login(CodeOwner owner)
        => owner.User ?? (owner.Email is { } email
            ? snapshot.ResolvedIdentities.FirstOrDefault(r => string.Equals(r.Email, email, StringComparison.OrdinalIgnoreCase))?.Account?.Login
            : null);

    /// <summary>How many people could still approve: eligible members that are not excluded; null when anyone may.</summary>
    public int? PossibleApprovers(ApprovalRequirement requirement)
    {
        var source = Describe(requirement);
        return source.Anyone ? null : membership.Expand(source.Users, source.Teams).Count(u => Excluded(u, requirement) is null);
    }

    /// <summary>Never request a review from the author or anyone named as the initiator.</summary>
    public bool MayBeRequested(string login) => _independent.MayBeRequested(login);

    /// <summary>Commit authors and co-authors the platform could not match to an account.</summary>
    public IReadOnlyList<CommitIdentity> UnmatchedCommitIdentities => _independent.Unmatched;

    private (ReviewerVerdict Verdict, string Reason)? Excluded(string login, ApprovalRequirement requirement)
        => _independent.Exclusion(new Person { Login = login }, requirement.BotsCanApprove);

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

    private IEnumerable<ReviewerStanding> Judge(string reviewer, IReadOnlyList<Review> reviews, bool eligible, string from, bool botsCanApprove)
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
                yield return JudgeApproval(reviewer, latest, reviews[^1] != latest, botsCanApprove);
                break;
        }
    }

    private ReviewerStanding JudgeApproval(string reviewer, Review approval, bool laterComments, bool botsCanApprove)
    {
        if (_independent.Exclusion(approval.Reviewer, botsCanApprove) is { } exclusion)
        {
            return new(reviewer, exclusion.Verdict, $"approved {On(approval)}, but {exclusion.Reason}");
        }

        var comments = laterComments ? "; later comments do not withdraw it" : "";
        if (approval.CommitSha is null)
        {
            return JudgeUnknownCommit(reviewer, approval, comments);
        }

        if (SameSha(approval.CommitSha, snapshot.HeadSha))
        {
            return new(reviewer, ReviewerVerdict.Counted, $"approved {On(approval)}, the current head{comments}");
        }

        switch (defaults.InvalidateOnPush)
        {
            case PushInvalidation.Never:
                return new(reviewer, ReviewerVerdict.Counted, $"approved {On(approval)}, an older head (invalidate_on_push: false){comments}");
            case PushInvalidation.WhenDiffChanges:
                var then = PatchIdOf(approval.CommitSha);
                var now = PatchIdOf(snapshot.HeadSha);
                if (then is not null && now is not null && string.Equals(then, now, StringComparison.OrdinalIgnoreCase))
                {
                    return new(reviewer, ReviewerVerdict.Counted,
                        $"approved {On(approval)}, an older head with the same diff as {snapshot.ShortHeadSha} (patch id {then[..Math.Min(12, then.Length)]}; invalidate_on_push: when_diff_changes){comments}");
                }

                var why = then is null || now is null ? "the platform could not tell whether the diff changed" : "the pull request's diff changed since";
                return new(reviewer, ReviewerVerdict.Stale,
                    $"approved {On(approval)}, an older head; the head is now {snapshot.ShortHeadSha} and {why} (invalidate_on_push: when_diff_changes)");
            default:
                return new(reviewer, ReviewerVerdict.Stale, $"approved {On(approval)}, an older head; the head is now {snapshot.ShortHeadSha} (invalidate_on_push: true)");
        }
    }

    /// <summary>
    /// The platform does not say which commit was approved (GitHub nulls it once the commit is garbage-collected, so it
    /// was not the current head): it counts only when the platform shows it was given after the latest push to the
    /// current head, or when pushes do not invalidate approvals at all.
    /// </summary>
    private ReviewerStanding JudgeUnknownCommit(string reviewer, Review approval, string comments)
    {
        if (defaults.InvalidateOnPush == PushInvalidation.Never)
        {
            return new(reviewer, ReviewerVerdict.Counted, $"approved (commit not reported; invalidate_on_push: false){comments}");
        }

        if (snapshot.LastPush is { At: { } pushed } push && approval.SubmittedAt is { } at && at >= pushed
            && push.Head is { } pushedHead && SameSha(pushedHead, snapshot.HeadSha))
        {
            return new(reviewer, ReviewerVerdict.Counted, $"approved after the latest push to the current head (the platform does not report the commit){comments}");
        }

        return new(reviewer, ReviewerVerdict.Stale,
            "approved, but the platform reports no commit for it and does not show it was given after the latest push: it counts for nothing once the head has moved");
    }

    private string? PatchIdOf(string sha) => snapshot.PatchIds.FirstOrDefault(p => SameSha(p.Key, sha)).Value;

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
