using System.Text;
using System.Text.Json.Serialization;

namespace ReviewBot.Core.Decisions;

/// <summary>One pull request of a merge group (GitHub merge queue) and its recorded decision for the head that was queued.</summary>
public sealed record MergeGroupMember
{
    public required long Number { get; init; }

    /// <summary>The pull request's head that the merge queue took into the group.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The latest decision recorded for <see cref="HeadSha"/>; null when none is recorded (not evaluated yet, or folded into a running evaluation).</summary>
    public DecisionState? Decision { get; init; }

    /// <summary>The decision's title, when one is recorded.</summary>
    public string? Title { get; init; }

    /// <summary>Set when the latest evaluation of <see cref="HeadSha"/> failed (platform error, invalid state).</summary>
    public string? Error { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<MergeGroupState>))]
public enum MergeGroupState
{
    /// <summary>Every pull request of the group passed for its queued head.</summary>
    [JsonStringEnumMemberName("pass")] Pass,

    /// <summary>Some pull request has no passing decision yet but none failed: the group's check stays in progress.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>A pull request failed, its evaluation failed, or part of the group could not be identified.</summary>
    [JsonStringEnumMemberName("fail")] Fail,
}

/// <summary>
/// The decision for a merge group: it passes only when every pull request it holds passed for the head that was
/// queued — never a blanket pass. A failed member, a failed evaluation or a commit of the group that belongs to no
/// identified pull request fails it (fail closed, naming what is unknown); otherwise a member without a passing
/// decision keeps it pending.
/// </summary>
public sealed record MergeGroupVerdict(MergeGroupState State, string Title, string Summary)
{
    public static MergeGroupVerdict Decide(IReadOnlyList<MergeGroupMember> members, IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(unknown);
        var failed = members.Where(m => m.Error is not null || m.Decision == DecisionState.Fail).ToList();
        var waiting = members.Where(m => m.Error is null && m.Decision is null or DecisionState.Pending).ToList();
        var (state, title) = (unknown.Count, members.Count, failed.Count, waiting.Count) switch
        {
            ( > 0, _, _, _) => (MergeGroupState.Fail, $"Merge group holds {unknown.Count} unidentified change(s)"),
            (_, 0, _, _) => (MergeGroupState.Fail, "Merge group holds no identified pull request"),
            (_, _, > 0, _) => (MergeGroupState.Fail, $"{Numbers(failed)} did not pass"),
            (_, _, _, > 0) => (MergeGroupState.Pending, $"Waiting for {Numbers(waiting)}"),
            _ => (MergeGroupState.Pass, $"All {members.Count} pull request(s) of the group passed"),
        };
        return new MergeGroupVerdict(state, title, Summarise(state, title, members, unknown));
    }

    private static string Numbers(IEnumerable<MergeGroupMember> members) => string.Join(", ", members.Select(m => "#" + m.Number));

    private static string Summarise(MergeGroupState state, string title, IReadOnlyList<MergeGroupMember> members, IReadOnlyList<string> unknown)
    {
        var text = new StringBuilder();
        text.Append("## ").AppendLine(title).AppendLine();
        text.AppendLine(state switch
        {
            MergeGroupState.Pass => "Every pull request in this merge group passed ReviewBot for the head the merge queue took.",
            MergeGroupState.Pending => "This check completes when every pull request below has passed for its queued head; it is re-evaluated when their decisions change.",
            _ => "This merge group does not pass: it passes only when every pull request in it is identified and passed for its queued head.",
        }).AppendLine();
        if (members.Count > 0)
        {
            text.AppendLine("| Pull request | Queued head | Decision |").AppendLine("|---|---|---|");
            foreach (var m in members)
            {
                var decision = m.Error is not null ? "evaluation failed: " + OneLine(m.Error)
                    : m.Decision is { } d ? Name(d) + (m.Title is null ? "" : " — " + OneLine(m.Title))
                    : "not evaluated yet";
                text.Append("| #").Append(m.Number).Append(" | `").Append(m.HeadSha.Length > 12 ? m.HeadSha[..12] : m.HeadSha).Append("` | ").Append(decision).AppendLine(" |");
            }

            text.AppendLine();
        }

        foreach (var u in unknown)
        {
            text.Append("- Unidentified: ").AppendLine(OneLine(u));
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static string Name(DecisionState state) => state switch
    {
        DecisionState.Pass => "pass",
        DecisionState.Pending => "pending",
        _ => "fail",
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
