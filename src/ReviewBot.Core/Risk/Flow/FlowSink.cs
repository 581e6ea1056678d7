using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// How a rule with a sink judges the data reaching it: constant or sanitized data is no finding, code that cannot
/// run is no finding, data from a source is a finding of at least high severity naming the source, the lines it
/// passed through and the sink, and data of unknown origin is a medium finding that says so.
/// </summary>
public static class FlowSink
{
    /// <summary>What reaches the sink: the worst of <paramref name="data"/>; null when the sink cannot run.</summary>
    public static FlowValue? Reaching(SyntaxContext context, SyntaxNode sink, IEnumerable<ExpressionSyntax?> data)
    {
        var flow = context.FlowAt(sink);
        if (!flow.IsReachable(sink))
        {
            return null;
        }

        var worst = FlowValue.Constant;
        foreach (var expression in data)
        {
            if (expression is not null && flow.ValueAt(expression) is { } value)
            {
                worst = FlowValue.Merge(worst, value);
            }
        }

        return worst;
    }

    /// <summary>
    /// Reports <paramref name="sink"/> when non-constant, unsanitized data reaches it. <paramref name="sinkName"/> names the
    /// sink ("Process.Start"), <paramref name="harm"/> what the data could do ("runs commands the input chooses").
    /// </summary>
    public static bool Report(IRiskRule rule, SyntaxContext context, SyntaxNode sink, string sinkName, string harm, params ExpressionSyntax?[] data)
        => Report(rule, context, sink, sinkName, harm, reportUnknown: true, data);

    /// <param name="reportUnknown">False for sinks where data of unknown origin is the norm (paths, URLs, log messages): only tainted data is reported.</param>
    public static bool Report(IRiskRule rule, SyntaxContext context, SyntaxNode sink, string sinkName, string harm, bool reportUnknown, params ExpressionSyntax?[] data)
    {
        // A literal is never tainted (at worst of unknown origin, in a member too complex for the flow pass): when only
        // tainted data counts, literals alone are no finding, and the member's flow need not be built for them.
        if (!reportUnknown && Array.TrueForAll(data, d => d is null or LiteralExpressionSyntax))
        {
            return false;
        }

        if (Reaching(context, sink, data) is not { } value || value.Origin <= Origin.Sanitized || (value.Origin == Origin.Unknown && !reportUnknown))
        {
            return false;
        }

        context.ReportFlow(rule, sink, value, Describe(value, sink, sinkName, harm), SeverityOf(rule, value));
        return true;
    }

    /// <summary>
    /// The receiver is the HTTP response: named <c>Response</c>/<c>response</c>/<c>resp</c>, or a parameter typed
    /// <c>HttpResponse</c>/<c>HttpResponseBase</c>.
    /// </summary>
    public static bool IsResponse(ExpressionSyntax? receiver)
    {
        var name = SyntaxHelpers.SimpleName(receiver);
        if (name is "Response" or "response" or "resp" or "Resp" or "httpResponse" or "HttpResponse")
        {
            return true;
        }

        if (receiver is not IdentifierNameSyntax id)
        {
            return false;
        }

        for (var node = receiver.Parent; node is not null; node = node.Parent)
        {
            if (node is BaseMethodDeclarationSyntax method)
            {
                var type = method.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == id.Identifier.ValueText)?.Type;
                return SyntaxHelpers.SimpleName(type) is "HttpResponse" or "HttpResponseBase";
            }
        }

        return false;
    }

    /// <summary>High (or the rule's own severity when higher) for tainted data, medium for data of unknown origin.</summary>
    public static Severity SeverityOf(IRiskRule rule, FlowValue value)
        => value.Origin == Origin.Tainted ? (Severity)Math.Max((int)rule.Descriptor.Severity, (int)Severity.High) : (Severity)Math.Min((int)rule.Descriptor.Severity, (int)Severity.Medium);

    /// <summary>"source (line n) reaches sink through lines a, b: harm" or "sink gets X of unknown origin: …".</summary>
    public static string Describe(FlowValue value, SyntaxNode sink, string sinkName, string harm)
    {
        var sinkLine = sink.SyntaxTree.GetLineSpan(sink.Span).StartLinePosition.Line + 1;
        var through = value.Lines.Where(l => l != sinkLine && l != value.FromLine).Distinct().ToList();
        var path = through.Count == 0 ? "" : (through.Count == 1 ? " through line " : " through lines ") + string.Join(", ", through);
        return value.Origin == Origin.Tainted
            ? $"{value.From} (line {value.FromLine}) reaches {sinkName} (line {sinkLine}){path}: {harm}"
            : $"{sinkName} (line {sinkLine}) gets {value.From} (line {value.FromLine}){path}, of unknown origin: {harm} unless it is constant or validated";
    }
}
