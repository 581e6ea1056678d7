using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Tainted data a member hands to a method of the same file, reaching a sink there: a finding of the sink's rule on the
/// call (<c>Console.ReadLine() (line 40) reaches Process.Start (line 77): … (through RunCommand(), called here)</c>).
/// The member is where the data comes in, so a change that starts passing request data to an existing helper is reported
/// where it changed, and the helper's own finding (a parameter of unknown origin) stays what it is. A member that reads a
/// source the flow pass knows by name (<see cref="IsSource"/>) has its calls the file resolves (<see cref="SameFileCalls"/>)
/// looked at, of methods whose text holds a trigger of a rule that judges its sinks by the flow pass: when an argument,
/// or a field of the callee's type the member assigned before the call, holds tainted data that reaches a sink in the
/// callee (which of its parameters and fields do is found once per method, with all of them tainted), the callee is
/// shown to those rules as that call runs it (its parameters and those fields hold what the caller passes), and what
/// they find tainted at a sink there is reported on the call. One level deep, at most
/// <see cref="MaxCallsFollowed"/> calls per member part. Not followed: data of a controller action's parameters (no
/// source by name in the member), literals (a password passed to a helper is judged in the helper), and calls in test
/// files (what a test passes is the test's own data).
/// </summary>
internal static class HelperCalls
{
    public const int MaxCallsFollowed = 32;

    /// <summary>
    /// Text every source <see cref="IsSource"/> accepts contains (for the analyzer's trigger search): the source calls'
    /// names, and the request names with their dot (<c>request.</c>; the bare names are everywhere in web code).
    /// </summary>
    public static IReadOnlyList<string> Triggers { get; } =
        [.. FlowCatalog.SourceCalls, .. FlowCatalog.ColumnReads, "Request.", "request.", "req.", "Req."];

    /// <summary>
    /// A read of data from outside by a name the flow pass knows: a source call, or a request member written with the
    /// dot right after the request's name (<c>req.Params</c>, so that its text holds a trigger).
    /// </summary>
    public static bool IsSource(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax call => SyntaxHelpers.SimpleName(call.Expression) is { } name
            && (FlowCatalog.SourceCalls.Contains(name) || FlowCatalog.ColumnReads.Contains(name)),
        MemberAccessExpressionSyntax access => access.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax
            && FlowCatalog.IsRequestName(SyntaxHelpers.SimpleName(access.Expression))
            && access.OperatorToken.SpanStart == access.Expression.Span.End
            && FlowCatalog.RequestMembers.Contains(access.Name.Identifier.ValueText),
        _ => false,
    };

    /// <summary>
    /// Looks at the calls of the member part holding <paramref name="source"/> (once per part) and shows each callee that
    /// receives tainted data to the rules through <paramref name="showCallee"/>, with the context set for that call.
    /// </summary>
    public static void Inspect(
        SyntaxNode source, SyntaxContext context, Func<SyntaxNode, string, IReadOnlySet<string>> sinkHolders, Action<MethodDeclarationSyntax> showCallee)
    {
        var root = context.Member.Roots.FirstOrDefault(r => r.Span.Contains(source.Span));
        if (root is null || !context.FirstLookAtCalls(root))
        {
            return;
        }

        // Only methods whose text holds a flow-judged sink are worth a look, and of those only the ones where some
        // parameter or field reaches a sink: the caller's flow is walked only for calls of such a method.
        var text = context.Member.Source;
        var names = sinkHolders(root, text);
        var followed = 0;
        foreach (var call in CallsNamed(root, names, text))
        {
            if (SameFileCalls.Callees(call) is not { } callees)
            {
                continue;
            }

            foreach (var callee in callees)
            {
                var inputs = InputsReachingSinks(callee, context, showCallee);
                if (inputs.Count == 0)
                {
                    continue;
                }

                var flow = context.FlowAt(call);
                if (flow.StateAt(call) is not { } state || Entry(call, callee, flow, state, inputs) is not { } entry || followed++ >= MaxCallsFollowed)
                {
                    continue;
                }

                Show(callee, entry, call, context, showCallee);
            }
        }
    }

    /// <summary>Up to this many names, calls are found by searching the text for each name; past it, by one walk of the part.</summary>
    private const int NamesSearched = 16;

    /// <summary>
    /// The calls in <paramref name="root"/> of a method named in <paramref name="names"/>, in document order: found by their
    /// names in the text, or, for many names (a search per name would cost names × text), by one walk of the part's nodes.
    /// </summary>
    private static IEnumerable<InvocationExpressionSyntax> CallsNamed(SyntaxNode root, IReadOnlySet<string> names, string text)
    {
        if (names.Count > NamesSearched)
        {
            return root.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(c => names.Contains(SyntaxHelpers.SimpleName(c.Expression) ?? ""));
        }

        var seen = new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance);
        var found = new List<InvocationExpressionSyntax>();
        foreach (var name in names)
        {
            for (var at = text.IndexOf(name, root.SpanStart, root.Span.Length, StringComparison.Ordinal);
                 at >= 0 && at + name.Length <= root.Span.End;
                 at = text.IndexOf(name, at + name.Length, root.Span.End - at - name.Length, StringComparison.Ordinal))
            {
                var token = root.FindToken(at);
                if (token.SpanStart != at || token.ValueText != name || token.Parent is not SimpleNameSyntax simple)
                {
                    continue;
                }

                var called = simple.Parent is MemberAccessExpressionSyntax access && access.Name == simple ? access : (ExpressionSyntax)simple;
                if (called.Parent is InvocationExpressionSyntax call && call.Expression == called && seen.Add(call))
                {
                    found.Add(call);
                }
            }
        }

        found.Sort((a, b) => a.SpanStart.CompareTo(b.SpanStart));
        return found;
    }

    /// <summary>
    /// The parameters and fields of <paramref name="callee"/> whose tainted data reaches a sink in it: found once per method
    /// (per analysis) by showing it to the rules with each of them tainted, named after itself, and noting which arrived.
    /// Where two of them meet at one sink the flow pass names one, so a call that taints only the other is not followed.
    /// </summary>
    private static IReadOnlySet<string> InputsReachingSinks(MethodDeclarationSyntax callee, SyntaxContext context, Action<MethodDeclarationSyntax> showCallee)
    {
        var known = context.InputsReachingSinks;
        if (known.TryGetValue(callee, out var inputs))
        {
            return inputs;
        }

        var entry = ImmutableDictionary<string, FlowValue>.Empty.WithComparers(StringComparer.Ordinal);
        foreach (var name in FieldsOf(callee).Concat(callee.ParameterList.Parameters.Select(p => p.Identifier.ValueText)))
        {
            entry = entry.SetItem(name, FlowValue.Tainted(InputMarker + name, 0));
        }

        var arrived = new HashSet<string>(StringComparer.Ordinal);
        context.Arrived = arrived;
        try
        {
            Show(callee, entry, callee, context, showCallee);
        }
        finally
        {
            context.Arrived = null;
        }

        inputs = arrived.Where(a => a.StartsWith(InputMarker, StringComparison.Ordinal)).Select(a => a[InputMarker.Length..]).ToHashSet(StringComparer.Ordinal);
        known.AddOrUpdate(callee, inputs);
        return inputs;
    }

    /// <summary>Names what a method receives while its inputs are traced (never shown: those findings are only noted).</summary>
    private const string InputMarker = "\u0001input ";

    private static void Show(MethodDeclarationSyntax callee, ImmutableDictionary<string, FlowValue> entry, SyntaxNode site, SyntaxContext context, Action<MethodDeclarationSyntax> showCallee)
    {
        context.Site = site;
        context.Called = (callee, MemberFlow.Called(callee, entry));
        try
        {
            showCallee(callee);
        }
        finally
        {
            context.Site = null;
            context.Called = null;
        }
    }

    private static IEnumerable<string> FieldsOf(MethodDeclarationSyntax method)
        => method.Parent is TypeDeclarationSyntax type
            ? type.Members.OfType<FieldDeclarationSyntax>().SelectMany(f => f.Declaration.Variables).Select(v => v.Identifier.ValueText)
            : [];

    /// <summary>
    /// What <paramref name="callee"/> starts from at this call: its parameters bound to the arguments, the fields of its
    /// type to what the caller left in them; null when none of it is tainted, or the arguments do not fit its parameters.
    /// </summary>
    private static ImmutableDictionary<string, FlowValue>? Entry(
        InvocationExpressionSyntax call, MethodDeclarationSyntax callee, MemberFlow flow, ImmutableDictionary<string, FlowValue> state, IReadOnlySet<string> inputs)
    {
        var parameters = callee.ParameterList.Parameters;
        var args = call.ArgumentList.Arguments;
        if (args.Count > parameters.Count && !parameters.Any(p => p.Modifiers.Any(SyntaxKind.ParamsKeyword)))
        {
            return null;
        }

        var line = call.SyntaxTree.GetLineSpan(call.Span).StartLinePosition.Line + 1;
        var entry = ImmutableDictionary<string, FlowValue>.Empty.WithComparers(StringComparer.Ordinal);
        var fields = FieldsOf(callee).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in state)
        {
            if (fields.Contains(name))
            {
                entry = entry.SetItem(name, value.Through(line));
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var parameter = args[i].NameColon is { } named
                ? parameters.FirstOrDefault(p => p.Identifier.ValueText == named.Name.Identifier.ValueText)
                : parameters[Math.Min(i, parameters.Count - 1)];
            if (parameter is null || args[i].RefKindKeyword.IsKind(SyntaxKind.OutKeyword))
            {
                continue;
            }

            if (flow.ValueAt(args[i].Expression)?.Through(line) is { } value)
            {
                var name = parameter.Identifier.ValueText;
                entry = entry.SetItem(name, entry.TryGetValue(name, out var other) ? FlowValue.Merge(other, value) : value);
            }
        }

        return entry.Any(e => e.Value.Origin == Origin.Tainted && inputs.Contains(e.Key)) ? entry : null;
    }
}
