using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3002: an OS process started.</summary>
public sealed class ProcessStartRule : ISyntaxRule
{
    private static readonly string[] Shells = ["cmd", "cmd.exe", "/bin/sh", "/bin/bash", "sh", "bash", "powershell", "pwsh", "powershell.exe"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3002", RiskCategories.Injection, Severity.High, "OS process started",
        "Process.Start / ProcessStartInfo runs another program with the service's rights; with file names or arguments that are not constant it is open to command injection. The flow pass follows the command line through locals, string building and the start info's properties: constant or sanitized commands are no finding, commands from request data, the console, the environment, files, sockets or databases are high (critical through a shell), commands of unknown origin are medium (high through a shell) and say so.")
    {
        Cwes = [78, 88],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Start", "ProcessStartInfo"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        BaseArgumentListSyntax? args;
        string what;
        if (node is InvocationExpressionSyntax i && SyntaxHelpers.Invoked(i) is ("Start", "Process"))
        {
            args = i.ArgumentList;
            what = "Process.Start";
        }
        else if (node is ObjectCreationExpressionSyntax o && SyntaxHelpers.CreatedType(o) == "ProcessStartInfo")
        {
            args = o.ArgumentList;
            what = "new ProcessStartInfo";
        }
        else
        {
            return;
        }

        var data = new List<ExpressionSyntax>();
        data.AddRange(args?.Arguments.Select(a => a.Expression) ?? []);
        if (node is ObjectCreationExpressionSyntax { Initializer: { } init })
        {
            data.AddRange(init.Expressions);
        }

        if (Flow.FlowSink.Reaching(context, node, data) is not { Origin: > Flow.Origin.Sanitized } value)
        {
            return;
        }

        var text = node.ToString();
        var viaShell = Shells.Any(s => text.Contains('"' + s + '"', StringComparison.OrdinalIgnoreCase))
            || text.Contains("UseShellExecute = true", StringComparison.Ordinal);
        var severity = Flow.FlowSink.SeverityOf(this, value);
        context.ReportFlow(this, node, value, Flow.FlowSink.Describe(value, node, what + (viaShell ? " through a shell" : ""), "runs commands the data chooses"),
            severity: !viaShell ? severity : severity >= Severity.High ? Severity.Critical : Severity.High);
    }
}
