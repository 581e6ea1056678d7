using ReviewBot.Core.Decisions;

namespace ReviewBot.Core.Tests.Decisions;

/// <summary>A merge group passes only when every pull request in it passed for its queued head; never a blanket pass.</summary>
public sealed class MergeGroupVerdictTests
{
    private static MergeGroupMember Member(long number, DecisionState? decision, string? error = null)
        => new() { Number = number, HeadSha = $"{number}abcdef0123456789", Decision = decision, Title = decision is null ? null : $"decision of #{number}", Error = error };

    public static TheoryData<MergeGroupMember[], string[], MergeGroupState, string> Cases() => new()
    {
        { [Member(1, DecisionState.Pass), Member(2, DecisionState.Pass)], [], MergeGroupState.Pass, "All 2 pull request(s) of the group passed" },
        { [Member(1, DecisionState.Pass), Member(2, DecisionState.Pending)], [], MergeGroupState.Pending, "Waiting for #2" },
        { [Member(1, null), Member(2, DecisionState.Pending)], [], MergeGroupState.Pending, "Waiting for #1, #2" },
        { [Member(1, DecisionState.Fail), Member(2, DecisionState.Pending)], [], MergeGroupState.Fail, "#1 did not pass" },
        { [Member(1, DecisionState.Pass), Member(2, null, "HttpRequestException: boom")], [], MergeGroupState.Fail, "#2 did not pass" },
        { [Member(1, DecisionState.Pass)], ["commit 0123 belongs to no merge queue branch of main"], MergeGroupState.Fail, "Merge group holds 1 unidentified change(s)" },
        { [], [], MergeGroupState.Fail, "Merge group holds no identified pull request" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_group_state_follows_its_weakest_member(MergeGroupMember[] members, string[] unknown, MergeGroupState state, string title)
    {
        var verdict = MergeGroupVerdict.Decide(members, unknown);

        Assert.Equal((state, title), (verdict.State, verdict.Title));
        Assert.StartsWith("## " + title + "\n", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_lists_every_member_with_its_queued_head_and_decision_and_names_what_is_unknown()
    {
        var verdict = MergeGroupVerdict.Decide(
            [Member(1, DecisionState.Pass), Member(2, null), Member(3, null, "boom | with a pipe\nand a line")],
            ["commit 0123 belongs to no merge queue branch of main"]);

        Assert.Contains("| #1 | `1abcdef01234` | pass — decision of #1 |", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains("| #2 | `2abcdef01234` | not evaluated yet |", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains("| #3 | `3abcdef01234` | evaluation failed: boom \\| with a pipe and a line |", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains("- Unidentified: commit 0123 belongs to no merge queue branch of main", verdict.Summary, StringComparison.Ordinal);
    }
}
