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
        "Process.Start / ProcessStartInfo runs another program with the service's rights; with non-constant file names or arguments, or through a shell, it is open to command injection.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Start", "ProcessStartInfo"];

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

        var text = node.ToString();
        var viaShell = Shells.Any(s => text.Contains('"' + s + '"', StringComparison.OrdinalIgnoreCase))
            || text.Contains("UseShellExecute = true", StringComparison.Ordinal);
        var nonConstant = args is not null && args.Arguments.Any(a => !SyntaxHelpers.IsConstantText(a.Expression)
            && a.Expression is not IdentifierNameSyntax { Identifier.ValueText: "psi" or "startInfo" or "info" });
        var detail = viaShell ? " through a shell" : nonConstant ? " with non-constant arguments" : "";
        context.Report(this, node, $"{what} added{detail}: runs an OS process", severity: viaShell && nonConstant ? Severity.Critical : null);
    }
}
