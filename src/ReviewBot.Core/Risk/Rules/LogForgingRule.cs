using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3017: data from outside written into a log message unneutralised (log forging).</summary>
public sealed class LogForgingRule : ISyntaxRule
{
    private static readonly HashSet<string> LogCalls =
    [
        "Log", "LogInformation", "LogWarning", "LogError", "LogDebug", "LogTrace", "LogCritical", "Info", "Warn", "Error", "Debug", "Trace",
        "Fatal", "Information", "Warning", "Verbose", "InfoFormat", "WarnFormat", "ErrorFormat", "DebugFormat",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3017", RiskCategories.Injection, Severity.Medium, "Log message built from request data",
        "A log call (ILogger, Serilog, NLog, log4net: Log, LogInformation, Info, Warn, Error, …) whose message text is concatenated or interpolated from request data, the console, the environment, files, sockets or databases lets an attacker write CR/LF and forge log lines, or inject markup into log viewers. Use message templates with parameters, or strip CR/LF. Only data from such sources is reported (medium): logging values of unknown origin is ordinary.")
    {
        Cwes = [117],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    /// <summary>Every log call name starts with one of these (substrings: "Info" covers Information and InfoFormat).</summary>
    public IReadOnlyList<string> Triggers { get; } = ["Log", "Info", "Warn", "Error", "Debug", "Trace", "Fatal", "Verbose"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var call = (InvocationExpressionSyntax)node;
        if (call.Expression is not MemberAccessExpressionSyntax access || !LogCalls.Contains(access.Name.Identifier.ValueText)
            || !(SyntaxHelpers.SimpleName(access.Expression) ?? "").Contains("log", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Message text: arguments that build text here (a concatenation or interpolation); template parameters are kept apart by the logger.
        var messages = call.ArgumentList.Arguments.Select(a => a.Expression)
            .Where(e => e is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } or InterpolatedStringExpressionSyntax).ToArray();
        if (messages.Length > 0 && FlowSink.Reaching(context, node, messages) is { Origin: Origin.Tainted } value)
        {
            context.ReportFlow(this, node, value, FlowSink.Describe(value, node, SyntaxHelpers.Normalize(access), "CR/LF forges log lines: use a message template or strip CR/LF"));
        }
    }
}
