using System.Globalization;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB8001: a method's cyclomatic complexity crossed the threshold.</summary>
public sealed class ComplexityRaisedRule : IMemberRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB8001", RiskCategories.Complexity, Severity.Low, "Complexity raised past threshold",
        "A method, accessor or block of top-level statements whose cyclomatic complexity (decision points + 1) reaches the `complexity` threshold (default 25, the threshold of .NET's own CA1502) when it was below it (or is new) is harder to review and to test fully. Lower it for a stricter codebase (`risk.thresholds.complexity`): at 10, the precision study judged 2 of 25 such findings worth a reviewer's attention. Test code is not judged by it, and a method moved out of test code counts as new.");

    public void Compare(MemberVersion? before, MemberVersion? after, FindingSink sink)
    {
        if (after is null || after.Kind is not (MemberKind.Method or MemberKind.Constructor or MemberKind.Operator or MemberKind.Property
            or MemberKind.Indexer or MemberKind.TopLevel or MemberKind.Event))
        {
            return;
        }

        // Code that comes out of test code is new to the product (and test code's complexity is not counted: TestCode).
        var threshold = new RiskThresholds(sink.Options.Thresholds)["complexity"];
        var previous = before is { IsTestFile: false } ? before : null;
        if (after.Complexity >= threshold && (previous is null || previous.Complexity < threshold))
        {
            var was = previous is null ? "new" : "was " + previous.Complexity.ToString(CultureInfo.InvariantCulture);
            sink.Report(this, after, $"cyclomatic complexity of {after.DisplayName} is {after.Complexity} ({was}; threshold {threshold.ToString(CultureInfo.InvariantCulture)})");
        }
    }
}
