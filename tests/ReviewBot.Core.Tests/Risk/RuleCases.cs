using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

public enum CaseKind
{
    Positive,
    Negative,
    InBase,
}

/// <summary>A marked-source case for one rule: files with markers where findings are expected.</summary>
public sealed record RuleCase(string RuleId, CaseKind Kind, string Name, TestFile[] Files)
{
    /// <summary>Expected (side, line) when markers cannot say it (change-level findings sit on line 0 of no file).</summary>
    public IReadOnlySet<(Side, int)>? Expected { get; init; }

    public string Id => $"{RuleId} {Kind.ToString().ToLowerInvariant()}: {Name}";

    public override string ToString() => Id;
}

/// <summary>Positive, negative and "already present in base" cases for every rule.</summary>
public static partial class RuleCases
{
    private static readonly List<RuleCase> Cases = [];

    public static IReadOnlyList<RuleCase> All { get; } = Build();

    public static IEnumerable<object[]> Ids => All.Select(c => new object[] { c.Id });

    public static RuleCase Get(string id) => All.Single(c => c.Id == id);

    /// <summary>A class with one method around <paramref name="body"/> (statements), plus optional members.</summary>
    public static string InMethod(string body, string members = "", string attributes = "", string usings = "")
        => usings + "namespace Acme.App;\n\npublic class Service\n{\n" + members + attributes + "    public void Run(string input, int id)\n    {\n"
            + body + "\n    }\n}\n";

    private static void Positive(string rule, string name, params TestFile[] files) => Cases.Add(new(rule, CaseKind.Positive, name, files));

    private static void Negative(string rule, string name, params TestFile[] files) => Cases.Add(new(rule, CaseKind.Negative, name, files));

    private static void InBase(string rule, string name, params TestFile[] files) => Cases.Add(new(rule, CaseKind.InBase, name, files));

    /// <summary>Positive case plus its derived "already in base" case (base = head with an innocuous edit).</summary>
    private static void PositiveAndInBase(string rule, string name, params TestFile[] files)
    {
        Positive(rule, name, files);
        InBase(rule, name + " (already in base)", files.Select(f => f with
        {
            Base = f.Head is null ? f.Base : RiskTestKit.Touch(f.Head),
            Head = f.Head is null ? null : RiskTestKit.StripMarkers(f.Head),
            PreviousPath = null,
        }).ToArray());
    }

    private static TestFile Cs(string path, string? before, string? after) => new(path, before, after);

    private static TestFile Added(string path, string after) => new(path, null, after);

    private static IReadOnlyList<RuleCase> Build()
    {
        Web();
        Crypto();
        Injection();
        Flow();
        Reliability();
        ApiAndTests();
        SupplyChain();
        Analysis();
        Precision();
        return Cases;
    }
}
