using System.Globalization;
using System.Text;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab;

/// <summary>
/// Executes an enforcement plan on a merge request, idempotently:
/// <list type="number">
/// <item>approval rules named with <see cref="GitLabOptions.ApprovalRulePrefix"/> mirror the plan's approval
/// requirements (created, updated, deleted; rules of others untouched; the requirements that name nobody as the one
/// "any approver" rule GitLab allows). When GitLab refuses a rule write (the tier, the token's role, a validation) the
/// status and the note carry the gate alone, and the note says so;</item>
/// <item>one sticky note (hidden marker) created once, then updated in place when its text changes;</item>
/// <item>labels the plan adds and the MR lacks; reviewers the plan asks for and the MR lacks (users only:
/// GitLab cannot request a group, whose members the approval rules name instead);</item>
/// <item>the commit status on the head SHA (running while a new head is first evaluated, then pending / success /
/// failed), posted last so that it is never ahead of the rest; skipped when unchanged, so that evaluations
/// triggered by ReviewBot's own changes come to rest.</item>
/// </list>
/// Any other API failure throws: the worker then reports an error status, never success.
/// </summary>
public sealed class GitLabEnforcer(GitLabClient client, GitLabOptions options, ReviewRequest request) : IEnforcer
{
    private const int MaxDescription = 255;
    private readonly string _project = GitLabClient.ProjectRef(request.ProjectId, request.Repository);

    public async Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        var actions = new List<string>();

        string? fallback = null;
        if (options.SyncApprovalRules)
        {
            fallback = await SyncApprovalRulesAsync(snapshot, plan, actions, ct).ConfigureAwait(false);
        }
        else
        {
            actions.Add("approval rules: skipped (SyncApprovalRules is off)");
        }

        var noteId = await UpsertNoteAsync(snapshot, plan, fallback, actions, ct).ConfigureAwait(false);

        if (options.ApplyLabels)
        {
            await AddLabelsAsync(snapshot, plan, actions, ct).ConfigureAwait(false);
        }

        if (options.RequestReviewers)
        {
            await RequestReviewersAsync(snapshot, plan, actions, ct).ConfigureAwait(false);
        }

        var state = plan.Outcome switch
        {
            CheckOutcome.Success or CheckOutcome.Neutral => "success",
            CheckOutcome.ActionRequired => "pending",
            _ => "failed",
        };
        var replied = plan.Replies.Count == 0 ? [] : await ReplyAsync(snapshot, plan.Replies, actions, ct).ConfigureAwait(false);
        await PostStatusAsync(snapshot, state, plan.Title, noteId, actions, ct, plan.DetailsUrl).ConfigureAwait(false);
        actions.Add($"gitlab: {client.RequestCount} API requests");
        return new EnforcementResult(actions) { Replied = replied };
    }

    /// <summary>
    /// Answers each <c>/reviewbot</c> command once, as a note: a reply counts as given only when ReviewBot's own user
    /// wrote a note with its marker (a person writing the marker cannot pre-empt the answer).
    /// </summary>
    private async Task<IReadOnlyList<long>> ReplyAsync(PullRequestSnapshot snapshot, IReadOnlyList<CommandReply> replies, List<string> actions, CancellationToken ct)
    {
        var notes = (await client.ListNotesAsync(_project, snapshot.Number, ct).ConfigureAwait(false)).Items;
        var me = await client.GetCurrentUserAsync(ct).ConfigureAwait(false);
        var answered = notes.Where(n => !n.System && n.Author?.Id == me.Id).Select(n => n.Body ?? "").ToList();
        var replied = new List<long>();
        foreach (var reply in replies)
        {
            if (answered.Any(b => b.Contains(EnforcementPlanner.ReplyMarker(reply.CommentId), StringComparison.Ordinal)))
            {
                continue;
            }

            var created = await client.CreateNoteAsync(_project, snapshot.Number, reply.Body, ct).ConfigureAwait(false);
            replied.Add(reply.CommentId);
            actions.Add($"reply: answered note {reply.CommentId} in note {created.Id}");
        }

        return replied;
    }

    /// <summary>
    /// Posts <c>running</c> ("evaluating") when the head SHA has no ReviewBot status yet. A re-evaluation keeps the
    /// previous verdict until the new one is posted: each status change can fire a Pipeline Hook, and a status that
    /// changes on every evaluation would re-trigger evaluations without end.
    /// </summary>
    public async Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (await OwnStatusAsync(snapshot, cancellationToken).ConfigureAwait(false) is null)
        {
            await PostStatusAsync(snapshot, "running", "ReviewBot is evaluating this merge request…", null, [], cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default)
        => PostStatusAsync(snapshot, "failed", "ReviewBot could not evaluate: " + message, null, [], cancellationToken);

    // ---- commit status --------------------------------------------------------------------------

    /// <summary>
    /// GitLab reuses a pending or running status of the same name and only moves it forward
    /// (pending → running → success / failed / canceled); it refuses pending again or running → pending, and then
    /// keeps the old description. So a new <c>pending</c> first closes the active one as canceled, which makes
    /// GitLab create a fresh status (the canceled one is superseded in the pipeline).
    /// </summary>
    /// <param name="detailsUrl">The signed link to the details page, when the host has one: it wins over <see cref="GitLabOptions.TargetUrl"/>.</param>
    private async Task PostStatusAsync(PullRequestSnapshot snapshot, string state, string description, long? noteId, List<string> actions, CancellationToken ct, string? detailsUrl = null)
    {
        var status = new GlCommitStatusWrite
        {
            State = state,
            Name = options.StatusName,
            Ref = string.IsNullOrEmpty(snapshot.HeadRef) ? null : snapshot.HeadRef,
            Description = Truncate(OneLine(description), MaxDescription),
            // A signed link is never cut short (a truncated signature opens nothing): one too long falls back to the default.
            TargetUrl = detailsUrl is { Length: <= MaxDescription } ? detailsUrl : Truncate(TargetUrl(snapshot, noteId), MaxDescription),
        };

        var existing = await OwnStatusAsync(snapshot, ct).ConfigureAwait(false);
        if (existing is not null && existing.Status == state && existing.Description == status.Description && existing.TargetUrl == status.TargetUrl)
        {
            actions.Add($"status {options.StatusName}: unchanged ({state})");
            return;
        }

        if (state == "running" && existing?.Status == "running")
        {
            actions.Add($"status {options.StatusName}: already running");
            return;
        }

        if (state == "pending" && existing?.Status is "pending" or "running")
        {
            await client.PostCommitStatusAsync(_project, snapshot.HeadSha, status with { State = "canceled", Description = "Superseded by a newer ReviewBot evaluation" }, ct).ConfigureAwait(false);
        }

        await client.PostCommitStatusAsync(_project, snapshot.HeadSha, status, ct).ConfigureAwait(false);
        actions.Add($"status {options.StatusName}: {state} on {snapshot.ShortHeadSha} ({status.Description})");
    }

    private async Task<GlCommitStatus?> OwnStatusAsync(PullRequestSnapshot snapshot, CancellationToken ct)
        => (await client.ListCommitStatusesAsync(_project, snapshot.HeadSha, ct).ConfigureAwait(false)).Items
            .Where(s => s.Name == options.StatusName)
            .OrderByDescending(s => s.Id)
            .FirstOrDefault();

    private string TargetUrl(PullRequestSnapshot snapshot, long? noteId)
    {
        if (!string.IsNullOrWhiteSpace(options.TargetUrl))
        {
            return options.TargetUrl
                .Replace("{project}", Uri.EscapeDataString(snapshot.Repository), StringComparison.Ordinal)
                .Replace("{iid}", snapshot.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{sha}", snapshot.HeadSha, StringComparison.Ordinal);
        }

        var url = $"{options.BaseUrl.TrimEnd('/')}/{snapshot.Repository}/-/merge_requests/{snapshot.Number}";
        return noteId is { } id ? $"{url}#note_{id}" : url;
    }

    // ---- approval rules -------------------------------------------------------------------------

    private sealed record DesiredRule(string Name, int Required, IReadOnlyList<string> Usernames, IReadOnlyList<long> GroupIds)
    {
        /// <summary>GitLab makes a rule without users or groups the merge request's "any approver" rule.</summary>
        public bool NamesNobody => Usernames.Count == 0 && GroupIds.Count == 0;
    }

    private const string AnyApproverType = "any_approver";

    private string AnyApproverName => options.ApprovalRulePrefix + "any eligible approver";

    private bool Owned(GlApprovalRule rule)
        => rule.Name.StartsWith(options.ApprovalRulePrefix, StringComparison.Ordinal) && rule.RuleType is null or "regular" or AnyApproverType;

    /// <summary>
    /// Mirrors the plan's approval requirements as approval rules. Returns the sentence the note must carry when the
    /// rules could not mirror them, else null. Stale rules go first and the requirements that name nobody are one rule:
    /// GitLab keeps a single "any approver" rule per merge request and refuses a second (400). Any refusal of a rule
    /// write (400, 403, 404, 409, 422…) ends the sync there instead of the enforcement: the status and the note still
    /// carry the gate, and the note says why.
    /// </summary>
    private async Task<string?> SyncApprovalRulesAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, List<string> actions, CancellationToken ct)
    {
        try
        {
            var all = (await client.ListApprovalRulesAsync(_project, snapshot.Number, ct).ConfigureAwait(false)).Items;
            var existing = all.Where(Owned).ToList();
            var desired = await DesiredRulesAsync(plan, actions, ct).ConfigureAwait(false);
            var shortfall = YieldToForeignAnyApprover(all, desired, actions);

            foreach (var stale in existing.Where(r => desired.All(d => d.Name != r.Name)))
            {
                await client.DeleteApprovalRuleAsync(_project, snapshot.Number, stale.Id, ct).ConfigureAwait(false);
                actions.Add($"approval rule deleted: {stale.Name}");
            }

            foreach (var want in desired)
            {
                var have = existing.FirstOrDefault(r => r.Name == want.Name);
                var write = new GlApprovalRuleWrite { Name = want.Name, ApprovalsRequired = want.Required, Usernames = want.Usernames, GroupIds = want.GroupIds };
                if (have is null)
                {
                    await client.CreateApprovalRuleAsync(_project, snapshot.Number, write, ct).ConfigureAwait(false);
                    actions.Add($"approval rule created: {want.Name} ({want.Required} required)");
                }
                else if (!Same(have, want))
                {
                    await client.UpdateApprovalRuleAsync(_project, snapshot.Number, have.Id, write, ct).ConfigureAwait(false);
                    actions.Add($"approval rule updated: {want.Name} ({want.Required} required)");
                }
                else
                {
                    actions.Add($"approval rule unchanged: {want.Name}");
                }
            }

            return plan.Approvals.Count == 0 ? null : shortfall;
        }
        catch (GitLabApiException ex) when (ex.IsRefusal)
        {
            var code = (int)ex.StatusCode!.Value;
            actions.Add(ex.IsUnavailable
                ? $"approval rules: unavailable ({code}); status and note only"
                : $"approval rules: refused ({code} {OneLine(ex.Detail)}); status and note only");
            var why = ex.IsUnavailable
                ? $"GitLab did not accept merge request approval rules here ({code} {ex.StatusCode}: the tier lacks them or the token's role is too low)"
                : $"GitLab refused an approval rule write ({code} {ex.StatusCode}: {OneLine(ex.Detail)})";
            return plan.Approvals.Count == 0
                ? null
                : $"{why}, so the approvals below are enforced only through the `{options.StatusName}` commit status and this note.";
        }
    }

    /// <summary>
    /// When the merge request already has an "any approver" rule that is not ReviewBot's (copied from the project's
    /// settings), GitLab refuses a second one: ReviewBot's is left out and the other is kept as it is. Returns the
    /// note's sentence when that rule asks for fewer approvals than the plan.
    /// </summary>
    private string? YieldToForeignAnyApprover(IReadOnlyList<GlApprovalRule> all, List<DesiredRule> desired, List<string> actions)
    {
        if (desired.FirstOrDefault(d => d.NamesNobody) is not { } mine
            || all.FirstOrDefault(r => r.RuleType == AnyApproverType && !Owned(r)) is not { } foreign)
        {
            return null;
        }

        desired.Remove(mine);
        actions.Add($"approval rule {mine.Name}: left out, the merge request's any-approver rule \"{foreign.Name}\" ({foreign.ApprovalsRequired} required) stands for it");
        return foreign.ApprovalsRequired >= mine.Required
            ? null
            : $"GitLab allows one \"any approver\" rule per merge request and this one's, \"{foreign.Name}\", asks for {foreign.ApprovalsRequired} approval(s), "
                + $"so the {mine.Required} approvals below are enforced only through the `{options.StatusName}` commit status and this note.";
    }

    private async Task<List<DesiredRule>> DesiredRulesAsync(EnforcementPlan plan, List<string> actions, CancellationToken ct)
    {
        var rules = new List<DesiredRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var groupIds = new Dictionary<string, long?>(StringComparer.OrdinalIgnoreCase);
        foreach (var approval in plan.Approvals)
        {
            var baseName = Truncate($"{options.ApprovalRulePrefix}{approval.Rule} ({approval.From})", 200);
            var name = baseName;
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{baseName} #{n}";
            }

            var ids = new List<long>();
            foreach (var team in approval.EligibleTeams)
            {
                if (GitLabTeams.GroupPath(team) is not { } path)
                {
                    continue;
                }

                if (!groupIds.TryGetValue(path, out var id))
                {
                    id = (await client.FindGroupAsync(path, ct).ConfigureAwait(false))?.Id;
                    groupIds[path] = id;
                    if (id is null)
                    {
                        actions.Add($"approval rule {name}: group {path} not found, left out");
                    }
                }

                if (id is { } found)
                {
                    ids.Add(found);
                }
            }

            var users = approval.EligibleUsers.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
            rules.Add(new DesiredRule(name, approval.Required, users, ids.Distinct().Order().ToList()));
        }

        // Requirements that name nobody (anyone may approve) become the one "any approver" rule, at the highest count;
        // its name does not depend on which requirements it stands for, so it is updated in place as they change.
        var nobody = rules.Where(r => r.NamesNobody).ToList();
        if (nobody.Count > 0)
        {
            rules.RemoveAll(r => r.NamesNobody);
            rules.Add(new DesiredRule(AnyApproverName, nobody.Max(r => r.Required), [], []));
            if (nobody.Count > 1)
            {
                actions.Add($"approval rule {AnyApproverName}: stands for {nobody.Count} requirements that name nobody ({string.Join("; ", nobody.Select(r => r.Name))})");
            }
        }

        return rules;
    }

    private static bool Same(GlApprovalRule have, DesiredRule want)
        => have.ApprovalsRequired == want.Required
            && (have.Users ?? []).Select(u => u.Username ?? "").Order(StringComparer.OrdinalIgnoreCase)
                .SequenceEqual(want.Usernames, StringComparer.OrdinalIgnoreCase)
            && (have.Groups ?? []).Select(g => g.Id).Order().SequenceEqual(want.GroupIds);

    // ---- sticky note ----------------------------------------------------------------------------

    private async Task<long?> UpsertNoteAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, string? fallback, List<string> actions, CancellationToken ct)
    {
        var text = plan.Comment ?? (fallback is null ? null : plan.Summary);
        var notes = (await client.ListNotesAsync(_project, snapshot.Number, ct).ConfigureAwait(false)).Items;
        var me = notes.Any(n => n.Body?.Contains(EnforcementPlanner.CommentMarker, StringComparison.Ordinal) == true)
            ? await client.GetCurrentUserAsync(ct).ConfigureAwait(false)
            : null;
        var mine = me is null ? null : notes.FirstOrDefault(n => !n.System && n.Author?.Id == me.Id && n.Body?.Contains(EnforcementPlanner.CommentMarker, StringComparison.Ordinal) == true);

        if (text is null)
        {
            actions.Add("note: skipped (comments off)");
            return mine?.Id;
        }

        var body = NoteBody(text, fallback);
        if (mine is null)
        {
            var created = await client.CreateNoteAsync(_project, snapshot.Number, body, ct).ConfigureAwait(false);
            actions.Add($"note created: {created.Id}");
            return created.Id;
        }

        if (mine.Body == body)
        {
            actions.Add($"note unchanged: {mine.Id}");
            return mine.Id;
        }

        await client.UpdateNoteAsync(_project, snapshot.Number, mine.Id, body, ct).ConfigureAwait(false);
        actions.Add($"note updated: {mine.Id}");
        return mine.Id;
    }

    /// <summary>The note text: marker, fallback notice, summary. Lines that GitLab would run as quick actions are escaped.</summary>
    public static string NoteBody(string text, string? fallback)
    {
        var body = new StringBuilder();
        body.Append(EnforcementPlanner.CommentMarker).Append('\n');
        if (fallback is not null)
        {
            body.Append("> **Note:** ").Append(fallback).Append("\n\n");
        }

        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = line.TrimStart();
            body.Append(trimmed.StartsWith('/') ? line[..(line.Length - trimmed.Length)] + "\\" + trimmed : line).Append('\n');
        }

        return body.ToString().TrimEnd('\n') + "\n";
    }

    // ---- labels ---------------------------------------------------------------------------------

    private async Task AddLabelsAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, List<string> actions, CancellationToken ct)
    {
        var missing = plan.AddLabels
            .Where(l => !string.IsNullOrWhiteSpace(l) && !l.Contains(',', StringComparison.Ordinal))
            .Where(l => !snapshot.Labels.Contains(l, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (missing.Count == 0)
        {
            actions.Add(plan.AddLabels.Count == 0 ? "labels: none asked" : "labels: already present");
            return;
        }

        await client.UpdateMergeRequestAsync(_project, snapshot.Number, new GlMergeRequestUpdate { AddLabels = string.Join(',', missing) }, ct).ConfigureAwait(false);
        actions.Add("labels added: " + string.Join(", ", missing));
    }

    // ---- reviewers ------------------------------------------------------------------------------

    private async Task RequestReviewersAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, List<string> actions, CancellationToken ct)
    {
        if (plan.RequestTeams.Count > 0)
        {
            actions.Add("reviewer groups: not requested (GitLab requests users; approval rules name the groups)");
        }

        var wanted = plan.RequestUsers
            .Where(u => !string.IsNullOrWhiteSpace(u)
                && !snapshot.RequestedReviewers.Contains(u, StringComparer.OrdinalIgnoreCase)
                && !string.Equals(u, snapshot.Author.Login, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (wanted.Count == 0)
        {
            actions.Add(plan.RequestUsers.Count == 0 ? "reviewers: none asked" : "reviewers: already requested");
            return;
        }

        var added = new List<string>();
        var ids = new List<long>();
        foreach (var username in wanted)
        {
            if (await client.FindUserAsync(username, ct).ConfigureAwait(false) is { } user)
            {
                ids.Add(user.Id);
                added.Add(username);
            }
            else
            {
                actions.Add($"reviewer {username}: no such GitLab user");
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        // GitLab replaces the whole list: keep the reviewers already there.
        var current = await client.GetMergeRequestAsync(_project, snapshot.Number, ct).ConfigureAwait(false);
        var all = (current.Reviewers ?? []).Select(r => r.Id).Concat(ids).Distinct().ToList();
        await client.UpdateMergeRequestAsync(_project, snapshot.Number, new GlMergeRequestUpdate { ReviewerIds = all }, ct).ConfigureAwait(false);
        actions.Add("reviewers requested: " + string.Join(", ", added));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
