using System.Text.RegularExpressions;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab;

/// <summary>
/// The platform facts approval integrity rests on, read from GitLab: who pushed the head and who assigned whom
/// (the merge request's system notes, which the author cannot edit), the user behind each commit author and
/// <c>Co-authored-by</c> email (GitLab's user search matches public emails; an admin token also private ones), and
/// patch ids of the diff versions older approvals were given on (each version is the head against its merge base).
/// GitLab keeps no readable history of the description through the REST API, so only the current one is read.
/// </summary>
internal sealed partial class GitLabApprovalFacts(GitLabClient client)
{
    private static readonly IdentityCatalog BuiltIn = IdentityCatalog.Create(AgentCatalogExtension.Empty);

    /// <summary>Distinct emails looked up per evaluation; the rest stay unmatched (and fail closed).</summary>
    private const int EmailLookupLimit = 20;

    /// <summary>How many older approved versions get a patch id (the most recent ones).</summary>
    private const int OlderVersionLimit = 5;

    public sealed record NoteFacts(Push? LastPush, IReadOnlyList<Dispatch> Dispatchers, IReadOnlyList<Person> EverAssigned);

    /// <summary>
    /// From system notes: the latest "added N commits" note names the pusher; "assigned to @…" notes name who assigned
    /// whom — a human assigning a bot dispatched it, a human the opening bot assigned is whom it works for.
    /// </summary>
    public static NoteFacts FromNotes(IReadOnlyList<GlNote> notes, Person author, string headSha)
    {
        Push? push = null;
        var dispatchers = new List<Dispatch>();
        var assigned = new List<Person>();
        foreach (var note in notes.Where(n => n.System && n.Body is not null && n.Author is not null).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id))
        {
            var actor = GitLabPullRequestSource.ToPerson(note.Author);
            if (AddedCommits().IsMatch(note.Body!))
            {
                push = new Push
                {
                    Pusher = actor,
                    Head = headSha.Length >= 8 && note.Body!.Contains(headSha[..8], StringComparison.OrdinalIgnoreCase) ? headSha : null,
                    At = note.CreatedAt,
                    Source = $"GitLab note {note.Id}: \"{note.Body!.Split('\n')[0].Trim()}\"",
                };
                continue;
            }

            if (AssignedTo().Match(note.Body!) is not { Success: true } assignment)
            {
                continue;
            }

            foreach (Match mention in Mention().Matches(assignment.Groups["who"].Value))
            {
                var login = mention.Groups[1].Value;
                var assignee = new Person
                {
                    Login = login,
                    IsBot = GitLabPullRequestSource.IsBotUsername(login) || (author.IsBot && Identities.SameLogin(author.Login, login)),
                };
                if (!assignee.IsBot)
                {
                    assigned.Add(assignee);
                }

                if (assignee.IsBot && !actor.IsBot)
                {
                    dispatchers.Add(new Dispatch { Person = actor, Fact = $"assigned {login} (GitLab note {note.Id})" });
                }
                else if (!assignee.IsBot && actor.IsBot && Identities.SameLogin(actor.Login, author.Login))
                {
                    dispatchers.Add(new Dispatch { Person = assignee, Fact = $"{actor.Login}, which opened the merge request, assigned them (GitLab note {note.Id})" });
                }
            }
        }

        return new NoteFacts(push, dispatchers, assigned);
    }

    /// <summary>
    /// The user GitLab finds for each email: one whose public email it is (a non-admin token sees only public emails;
    /// an admin token matches every email of every user). Emails with no such user come back with no account.
    /// </summary>
    public async Task<IReadOnlyList<ResolvedIdentity>> ResolveAsync(IEnumerable<string> emails, CancellationToken ct)
    {
        var identities = new List<ResolvedIdentity>();
        // Agents' and GitHub's own addresses are no GitLab user's public email: not worth a request.
        var people = emails.Select(e => e.Trim())
            .Where(e => e.Contains('@', StringComparison.Ordinal) && BuiltIn.MatchEmail(e) is null && !NoreplyAddress.TryParse(e, out _));
        foreach (var email in people.Distinct(StringComparer.OrdinalIgnoreCase).Take(EmailLookupLimit))
        {
            var users = await client.FindUsersByEmailAsync(email, ct).ConfigureAwait(false);
            var exact = users.Where(u => string.Equals(u.PublicEmail, email, StringComparison.OrdinalIgnoreCase)).ToList();
            var user = exact.Count == 1 ? exact[0] : users.Count == 1 && users[0].PublicEmail is null ? users[0] : null;
            identities.Add(new ResolvedIdentity { Email = email, Account = user is null ? null : GitLabPullRequestSource.ToPerson(user) });
        }

        return identities;
    }

    /// <summary>Patch ids of the head's version and of up to five older approved versions (each version's own diff).</summary>
    public async Task<IReadOnlyDictionary<string, string>> PatchIdsAsync(string project, long iid, IReadOnlyList<GlMergeRequestVersion> versions,
        string headSha, IEnumerable<string> olderHeads, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var older = olderHeads.Where(s => !string.Equals(s, headSha, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).Take(OlderVersionLimit).ToList();
        if (older.Count == 0)
        {
            return ids;
        }

        foreach (var sha in older.Prepend(headSha))
        {
            var version = versions.Where(v => string.Equals(v.HeadCommitSha, sha, StringComparison.OrdinalIgnoreCase)).MaxBy(v => v.Id);
            if (version is null)
            {
                continue;
            }

            var diffs = (await client.GetMergeRequestVersionAsync(project, iid, version.Id, ct).ConfigureAwait(false)).Diffs ?? [];
            if (PatchId.Of(diffs.Select(ToPatchFile)) is { } id)
            {
                ids[sha] = id;
            }
        }

        return ids;
    }

    private static PatchFile ToPatchFile(GlDiff d)
    {
        var status = d.NewFile ? "added" : d.DeletedFile ? "removed" : d.RenamedFile ? "renamed" : "modified";
        var path = d.NewPath ?? d.OldPath ?? "";
        var previous = d.RenamedFile ? d.OldPath : null;
        // A diff GitLab left out (too large, collapsed) cannot be compared: no patch and no blob, so no patch id.
        var patch = d.TooLarge == true || d.Collapsed == true ? null : d.Diff;
        return new PatchFile(path, previous, status, patch, null);
    }

    [GeneratedRegex(@"^added \d+ (?:new )?commits?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddedCommits();

    [GeneratedRegex(@"^(?:.* and )?assigned to (?<who>.+?)(?: and unassigned .*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AssignedTo();

    [GeneratedRegex(@"@([A-Za-z0-9_][A-Za-z0-9_.-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();
}
