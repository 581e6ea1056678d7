using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk;

/// <summary>What a syntax rule may know about where a node sits: file, member, enclosing parameters.</summary>
public sealed class SyntaxContext
{
    private Dictionary<SyntaxNode, Flow.MemberFlow>? flows;

    internal MemberVersion Member { get; set; } = null!;

    public string Path => Member.Path;

    public bool IsTestFile => Member.IsTestFile;

    /// <summary>The file declares an entry point (Main or top-level statements) or is a Program.cs.</summary>
    public bool IsEntryPointFile { get; internal set; }

    public MemberKind MemberKind => Member.Kind;

    internal void Enter(MemberVersion member)
    {
        Member = member;
        flows = null;
        callsLookedAt = null;
    }

    private HashSet<SyntaxNode>? callsLookedAt;

    /// <summary>True the first time it is asked for a part of the member (<see cref="Analysis.HelperCalls"/> looks at its calls once).</summary>
    internal bool FirstLookAtCalls(SyntaxNode root) => (callsLookedAt ??= new(ReferenceEqualityComparer.Instance)).Add(root);

    /// <summary>The flow facts of the member body holding <paramref name="node"/> (computed once per body, on first use).</summary>
    public Flow.MemberFlow FlowAt(SyntaxNode node)
    {
        // A stand-in expression (reflection judged as the API it names) has a tree of its own: its data is judged by the
        // flow at the real call it replaces.
        var standInSite = Site is { } site && node.SyntaxTree != site.SyntaxTree ? site : null;
        var owner = Flow.MemberFlow.OwnerOf(standInSite ?? node);
        if (Called is { } called && owner == called.Method)
        {
            return called.Flow;
        }

        flows ??= new Dictionary<SyntaxNode, Flow.MemberFlow>(ReferenceEqualityComparer.Instance);
        if (!flows.TryGetValue(owner, out var flow))
        {
            flows[owner] = flow = Flow.MemberFlow.Analyze(owner);
        }

        flow.StandInSite = standInSite;
        return flow;
    }

    /// <summary>
    /// The real call a stand-in expression replaces while rules look at the stand-in (see <see cref="Analysis.ReflectedApi"/>):
    /// facts are placed on, and keyed by, the real call.
    /// </summary>
    internal SyntaxNode? Site { get; set; }

    /// <summary>
    /// A method of the file run as one call runs it (<see cref="Analysis.HelperCalls"/>): its flow holds what the call
    /// passes, and only tainted data reaching a sink in it is reported, on the call.
    /// </summary>
    internal (MethodDeclarationSyntax Method, Flow.MemberFlow Flow)? Called { get; set; }

    /// <summary>While a called method's inputs are traced: where the tainted data reaching its sinks came from, instead of findings.</summary>
    internal HashSet<string>? Arrived { get; set; }

    /// <summary>
    /// Per method of the analysed files: the parameters and fields whose tainted data reaches a sink in it
    /// (<see cref="Analysis.HelperCalls"/>). Weak, so that a file's trees go when the walk releases them.
    /// </summary>
    internal System.Runtime.CompilerServices.ConditionalWeakTable<MethodDeclarationSyntax, IReadOnlySet<string>> InputsReachingSinks { get; } = new();

    /// <summary>
    /// Reports what the flow pass found reaching a sink (<paramref name="value"/>, from <see cref="Flow.FlowSink"/>). While a called method is looked
    /// at (<see cref="Called"/>), only tainted data counts: anything else the method receives is judged in the method itself.
    /// </summary>
    internal void ReportFlow(IRiskRule rule, SyntaxNode sink, Flow.FlowValue value, string message, Severity? severity = null, IReadOnlyList<int>? cwes = null)
    {
        if (Arrived is { } arrived)
        {
            if (value.Origin == Flow.Origin.Tainted)
            {
                arrived.Add(value.From);
            }
        }
        else if (Called is null || value.Origin == Flow.Origin.Tainted)
        {
            AddFact(rule, sink, message, FactPolarity.Introduced, null, severity, cwes, fromFlow: true);
        }
    }

    /// <summary>
    /// Reports a fact. <paramref name="key"/> (default: the node's whitespace-free text) is what base and head
    /// are compared by: a coarser key (e.g. "Assert.Equal") ignores edits that keep the fact.
    /// </summary>
    public void Report(
        IRiskRule rule,
        SyntaxNode node,
        string message,
        FactPolarity polarity = FactPolarity.Introduced,
        string? key = null,
        Severity? severity = null,
        IReadOnlyList<int>? cwes = null)
        => AddFact(rule, node, message, polarity, key, severity, cwes, fromFlow: false);

    private void AddFact(IRiskRule rule, SyntaxNode node, string message, FactPolarity polarity, string? key, Severity? severity, IReadOnlyList<int>? cwes, bool fromFlow)
    {
        if (!Counts(rule, polarity) || (Called is not null && !fromFlow))
        {
            return;
        }

        if (Site is { } site)
        {
            var siteText = SyntaxHelpers.Normalize(site);
            Member.Facts.Add(new RiskFact(rule, siteText, siteText, polarity, $"{message} ({(Called is { } called ? $"through {called.Method.Identifier.ValueText}(), called here" : "reached through reflection: " + node)})", Anchor(site), severity)
            {
                Cwes = cwes,
                ThroughCall = Called is not null,
            });
            return;
        }

        var text = SyntaxHelpers.Normalize(node);
        Member.Facts.Add(new RiskFact(rule, key ?? text, text, polarity, message, Anchor(node), severity) { Cwes = cwes });
    }

    /// <summary>As <see cref="Report(IRiskRule, SyntaxNode, string, FactPolarity, string?, Severity?)"/>, with the node's <see cref="SyntaxHelpers.Normalize"/> text already computed.</summary>
    internal void Report(IRiskRule rule, SyntaxNode node, string normalized, string message, FactPolarity polarity, string key)
    {
        if (Site is not null)
        {
            Report(rule, node, message, polarity);
        }
        else if (Counts(rule, polarity))
        {
            Member.Facts.Add(new RiskFact(rule, key, normalized, polarity, message, Anchor(node), null));
        }
    }

    /// <summary>
    /// A fact counts unless it is in test code and <see cref="TestCode"/> does not judge its rule there. A removal counts in
    /// a member some base version may be paired with, from a rule that says it reports removals: the walk searches a base
    /// version only for such rules and those its head version reported (see <see cref="IRemovalRule"/>).
    /// </summary>
    private bool Counts(IRiskRule rule, FactPolarity polarity)
        => (!Member.IsTestFile || TestCode.Judges(rule.Descriptor)) && (polarity != FactPolarity.Removed || ReportsRemovals(rule));

    private bool ReportsRemovals(IRiskRule rule)
        => rule is IRemovalRule ? !Member.Unpairable : throw new InvalidOperationException($"{rule.Descriptor.Id} reports a removal but is no {nameof(IRemovalRule)}");

    /// <summary>Where a finding points: for <c>a.b.Call(...)</c> chains, from the called name on (its own line).</summary>
    private static TextSpan Anchor(SyntaxNode node)
        => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m }
            ? TextSpan.FromBounds(m.Name.SpanStart, node.Span.End)
            : node.Span;

    /// <summary>True when the member's own text contains <paramref name="text"/> (cheap guard checks).</summary>
    public bool MemberContains(string text)
    {
        return Member.Node is { } n && Member.Source.AsSpan(n.Span.Start, n.Span.Length).Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Names of parameters of the enclosing method, local function, lambda or accessor chain.</summary>
    public static HashSet<string> ParameterNames(SyntaxNode node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case BaseMethodDeclarationSyntax m:
                    AddAll(names, m.ParameterList.Parameters);
                    return names;
                case LocalFunctionStatementSyntax f:
                    AddAll(names, f.ParameterList.Parameters);
                    break;
                case ParenthesizedLambdaExpressionSyntax l:
                    AddAll(names, l.ParameterList.Parameters);
                    break;
                case SimpleLambdaExpressionSyntax s:
                    names.Add(s.Parameter.Identifier.ValueText);
                    break;
                case IndexerDeclarationSyntax i:
                    AddAll(names, i.ParameterList.Parameters);
                    return names;
                case AccessorDeclarationSyntax a when a.Keyword.IsKind(SyntaxKind.SetKeyword) || a.Keyword.IsKind(SyntaxKind.InitKeyword):
                    names.Add("value");
                    break;
                case MemberDeclarationSyntax:
                    return names;
            }
        }

        return names;
    }

    private static void AddAll(HashSet<string> names, SeparatedSyntaxList<ParameterSyntax> parameters)
    {
        foreach (var p in parameters)
        {
            names.Add(p.Identifier.ValueText);
        }
    }
}
