using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ReviewBot.Core.Risk;

/// <summary>What a rule is: stable id, category, default severity, title and a one-paragraph description.</summary>
public sealed record RuleDescriptor(string Id, string Category, Severity Severity, string Title, string Description)
{
    /// <summary>The CWE weaknesses the rule finds (MITRE ids, e.g. 89 for SQL injection); empty for rules that are not about a weakness.</summary>
    public IReadOnlyList<int> Cwes { get; init; } = [];
}

/// <summary>Rule categories (the <c>category</c> of a finding; rules files can match on them).</summary>
public static class RiskCategories
{
    public const string Authorization = "authorization";
    public const string Web = "web";
    public const string Crypto = "crypto";
    public const string Secrets = "secrets";
    public const string Injection = "injection";
    public const string Deserialization = "deserialization";
    public const string Xml = "xml";
    public const string Malicious = "malicious";
    public const string Memory = "memory";
    public const string Concurrency = "concurrency";
    public const string Reliability = "reliability";
    public const string Api = "api";
    public const string Suppression = "suppression";
    public const string Tests = "tests";
    public const string SupplyChain = "supply-chain";
    public const string Complexity = "complexity";
    public const string Size = "size";
    public const string Analysis = "analysis";
}

/// <summary>A risk rule: one sealed type per file under <c>Risk/Rules/</c>.</summary>
public interface IRiskRule
{
    RuleDescriptor Descriptor { get; }
}

/// <summary>Whether a fact is risky when the change adds it, or when the change removes it.</summary>
public enum FactPolarity
{
    /// <summary>Risky when head has more of it than base (e.g. Process.Start added).</summary>
    Introduced,

    /// <summary>Risky when base had it and the same member in head no longer does (e.g. [Authorize] removed).</summary>
    Removed,
}

/// <summary>
/// A rule over C# syntax. The analyzer calls <see cref="Inspect"/> for every node of the listed kinds inside
/// members the change touched, on both sides; the rule reports "facts". Facts of a member in base and head are
/// compared, so code already present in base gives no finding.
/// </summary>
public interface ISyntaxRule : IRiskRule
{
    IReadOnlyList<SyntaxKind> Kinds { get; }

    /// <summary>
    /// Source text that every node this rule reports on contains: the names it looks for (method, type, attribute,
    /// property), a keyword, or <c>"</c> for string literals. Matched case-sensitively as substrings of the source.
    /// The analyzer does not walk every node of a member: it visits the nodes around occurrences of some rule's
    /// triggers (and of the decision points complexity counts), so a node without a trigger of this rule may never
    /// reach <see cref="Inspect"/>. A rule that cares about every node of its kinds names the token they all share.
    /// </summary>
    IReadOnlyList<string> Triggers { get; }

    /// <summary>
    /// False for a rule that reports nothing in test code (<see cref="SyntaxContext.IsTestFile"/>): the walk does not
    /// search its triggers in test files.
    /// </summary>
    bool InspectsTestCode => true;

    /// <summary>
    /// True for a rule that judges its sinks by the flow pass (it reports through <see cref="Flow.FlowSink"/> or
    /// <see cref="SyntaxContext.ReportFlow"/>): a method of the file holding one of its triggers is followed when a
    /// member hands it tainted data (<see cref="Analysis.HelperCalls"/>).
    /// </summary>
    bool JudgesSinksByFlow => false;

    void Inspect(SyntaxNode node, SyntaxContext context);
}

/// <summary>
/// A syntax rule that reports removals (<see cref="FactPolarity.Removed"/>: what a base version has and its head version
/// lost). Only such rules may report them (<see cref="SyntaxContext.Report"/> refuses the others): the base version of a
/// member paired within its file is searched only for the triggers of these rules and of the rules its head version
/// reported introductions for, since nothing else of it can show in a finding.
/// </summary>
internal interface IRemovalRule : ISyntaxRule
{
    /// <summary>
    /// Every fact of the rule is a removal: a member no base version can ever be paired with (the head of a new file with
    /// no candidate left) loses nothing, so the rule's triggers are not searched there.
    /// </summary>
    bool ReportsOnlyRemovals => true;
}

/// <summary>A rule comparing one member across the two versions (API shape, complexity, test methods).</summary>
public interface IMemberRule : IRiskRule
{
    /// <summary>Called for every member the change touched; either side may be null (added / removed member).</summary>
    void Compare(MemberVersion? before, MemberVersion? after, FindingSink sink);
}

/// <summary>A rule over a changed file judged by path (and, when asked, its raw text on each side).</summary>
public interface IFileRule : IRiskRule
{
    /// <summary>True when the rule wants this file's text (fetched in the analyzer's one batched request).</summary>
    bool NeedsContent(string path);

    void Inspect(FileChangeContext context);
}

/// <summary>A rule over the change as a whole (size, diffusion, tests deleted).</summary>
public interface IChangeRule : IRiskRule
{
    void Inspect(ChangeContext context);
}
