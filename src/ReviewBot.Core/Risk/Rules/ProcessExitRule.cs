using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4007: process termination from library or service code.</summary>
public sealed class ProcessExitRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4007", RiskCategories.Reliability, Severity.Medium, "Process exit in library code",
        "Environment.Exit, Environment.FailFast, Application.Exit or killing the current process from library or service code ends the host without cleanup, without the caller being able to handle it. Entry-point files (Program.cs, Main, top-level statements) and tests are exempt.")
    {
        Cwes = [382],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Exit", "FailFast", "Kill"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (context.IsEntryPointFile)
        {
            return;
        }

        var invocation = (InvocationExpressionSyntax)node;
        var what = SyntaxHelpers.Invoked(invocation) switch
        {
            ("Exit" or "FailFast", "Environment") or ("Exit", "Application") => invocation.Expression.ToString(),
            ("Kill", _) when invocation.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner }
                && SyntaxHelpers.Invoked(inner) is ("GetCurrentProcess", "Process") => "Process.GetCurrentProcess().Kill",
            _ => null,
        };
        if (what is not null)
        {
            context.Report(this, invocation, $"{what}() added in library code: ends the whole process");
        }
    }
}
