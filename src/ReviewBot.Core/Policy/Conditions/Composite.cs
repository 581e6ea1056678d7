namespace ReviewBot.Core.Policy;

/// <summary><c>all: [...]</c> (and a mapping with several keys): every part must match.</summary>
public sealed record AllCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var reasons = new List<string>(Conditions.Count);
        foreach (var condition in Conditions)
        {
            var result = condition.Evaluate(context);
            if (!result.Matched)
            {
                return result;
            }

            reasons.Add(result.Reason);
        }

        return new ConditionResult(true, reasons.Count == 0 ? "no conditions" : string.Join("; and ", reasons));
    }
}

/// <summary><c>any: [...]</c>: at least one part must match.</summary>
public sealed record AnyCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var reasons = new List<string>(Conditions.Count);
        foreach (var condition in Conditions)
        {
            var result = condition.Evaluate(context);
            if (result.Matched)
            {
                return result;
            }

            reasons.Add(result.Reason);
        }

        return new ConditionResult(false, reasons.Count == 0 ? "no alternatives" : string.Join("; and ", reasons));
    }
}

/// <summary><c>not: {...}</c>: matches when the inner condition does not. The inner reason already explains both ways.</summary>
public sealed record NotCondition(Condition Inner) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var result = Inner.Evaluate(context);
        return new ConditionResult(!result.Matched, result.Reason);
    }
}

internal static class Outcome
{
    /// <summary>A result whose reason depends on whether it matched.</summary>
    public static ConditionResult Of(bool matched, string ifMatched, string ifNot) => new(matched, matched ? ifMatched : ifNot);
}
