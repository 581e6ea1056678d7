using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3004: assemblies or native libraries loaded at run time.</summary>
public sealed class DynamicAssemblyLoadingRule : ISyntaxRule
{
    private static readonly HashSet<(string Receiver, string Name)> Calls =
    [
        ("Assembly", "Load"), ("Assembly", "LoadFrom"), ("Assembly", "LoadFile"), ("Assembly", "UnsafeLoadFrom"), ("Assembly", "LoadWithPartialName"),
        ("NativeLibrary", "Load"), ("NativeLibrary", "TryLoad"),
    ];

    private static readonly HashSet<string> AnyReceiver =
        ["LoadFromAssemblyPath", "LoadFromStream", "LoadFromNativeImagePath", "ExecuteAssembly", "ExecuteAssemblyByName", "LoadUnmanagedDllFromPath"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3004", RiskCategories.Injection, Severity.High, "Dynamic assembly loading",
        "Assembly.Load*/LoadFrom, AssemblyLoadContext.LoadFrom*, AppDomain.ExecuteAssembly and NativeLibrary.Load run code that the build did not review; from a non-constant path or bytes it can load an attacker's binary.")
    {
        Cwes = [829, 494],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Calls.Select(c => c.Name).Distinct(), .. AnyReceiver];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var invocation = (InvocationExpressionSyntax)node;
        if (SyntaxHelpers.Invoked(invocation) is not ({ } name, var receiver)
            || !(AnyReceiver.Contains(name) || (receiver is not null && Calls.Contains((receiver, name)))))
        {
            return;
        }

        var constant = invocation.ArgumentList.Arguments.All(a => SyntaxHelpers.IsConstantText(a.Expression));
        context.Report(this, invocation, $"{(receiver is null ? "" : receiver + ".")}{name} added: loads code at run time" + (constant ? "" : " from a non-constant source"));
    }
}
