namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private static void Analysis()
    {
        // RB9001 not analysable: nested past max_nesting (estimated before parsing), reported on line 1.
        var deep = "//! nested far past the budget\nnamespace Acme.App;\n\npublic class Deep\n{\n    public int M() => "
            + new string('(', 400) + "1" + new string(')', 400) + ";\n}\n";
        var shallow = InMethod("        var x = ((1 + 2) * (3 + 4));");
        Positive("RB9001", "nesting past max_nesting", Added("src/Deep.cs", deep));
        Positive("RB9001", "a nested file edited", Cs("src/Deep.cs", RiskTestKit.StripMarkers(deep), deep.Replace("=> (", "=> -(", StringComparison.Ordinal)));
        Negative("RB9001", "ordinary nesting", Added("src/Service.cs", shallow));
        InBase("RB9001", "a deep file deleted", Cs("src/Deep.cs", RiskTestKit.StripMarkers(deep), null));
    }
}
