using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4003: async void outside event handlers.</summary>
public sealed class AsyncVoidRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4003", RiskCategories.Concurrency, Severity.Medium, "async void method",
        "An async void method cannot be awaited and its exceptions are raised on the synchronization context: they crash the process instead of reaching the caller. Return Task (event handlers (object, EventArgs) are exempt).");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.MethodDeclaration, SyntaxKind.LocalFunctionStatement];

    public IReadOnlyList<string> Triggers { get; } = ["async"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (modifiers, returnType, parameters, name) = node switch
        {
            MethodDeclarationSyntax m => (m.Modifiers, m.ReturnType, m.ParameterList, m.Identifier.ValueText),
            LocalFunctionStatementSyntax l => (l.Modifiers, l.ReturnType, l.ParameterList, l.Identifier.ValueText),
            _ => (default(SyntaxTokenList), null!, null!, ""),
        };
        if (!modifiers.Any(SyntaxKind.AsyncKeyword) || returnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword })
        {
            return;
        }

        var isHandler = parameters.Parameters.Count == 2
            && parameters.Parameters[1].Type?.ToString().EndsWith("EventArgs", StringComparison.Ordinal) == true;
        if (!isHandler)
        {
            context.Report(this, returnType, $"async void {name} added: exceptions escape to the process", key: "async-void:" + name);
        }
    }
}
