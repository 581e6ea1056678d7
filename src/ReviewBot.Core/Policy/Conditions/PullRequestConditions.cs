namespace ReviewBot.Core.Policy;

/// <summary><c>target_branch: [main, "release/*"]</c>: the base ref matches.</summary>
public sealed record TargetBranchCondition(PatternSet Branches) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
        => BranchMatch.Evaluate("target", context.Snapshot.BaseRef, Branches);
}

/// <summary><c>source_branch: ["agent/*"]</c>: the head ref matches.</summary>
public sealed record SourceBranchCondition(PatternSet Branches) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
        => BranchMatch.Evaluate("source", context.Snapshot.HeadRef, Branches);
}

/// <summary><c>labels: [hotfix]</c>: one of the PR's labels matches (globs, case-insensitive).</summary>
public sealed record LabelsCondition(PatternSet Labels) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var labels = context.Snapshot.Labels;
        var hit = labels.FirstOrDefault(Labels.IsMatch);
        if (hit is not null)
        {
            return new ConditionResult(true, $"label '{hit}' matches {Labels.Describe()}");
        }

        return labels.Count == 0
            ? new ConditionResult(false, $"the change has no labels (wanted {Labels.Describe()})")
            : new ConditionResult(false, $"labels {string.Join(", ", labels.Select(l => $"'{l}'"))} do not match {Labels.Describe()}");
    }
}

/// <summary><c>draft: true</c>: the PR is (or is not) a draft.</summary>
public sealed record DraftCondition(bool Draft) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var isDraft = context.Snapshot.Draft;
        var text = isDraft ? "the change is a draft" : "the change is not a draft";
        return new ConditionResult(isDraft == Draft, text);
    }
}

internal static class BranchMatch
{
    public static ConditionResult Evaluate(string side, string reference, PatternSet branches)
    {
        var branch = reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..] : reference;
        return Outcome.Of(branches.IsMatch(branch), $"{side} branch {branch} matches {branches.Describe()}", $"{side} branch {branch} does not match {branches.Describe()}");
    }
}
