using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4002: P/Invoke declarations added or changed.</summary>
public sealed class NativeInteropRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4002", RiskCategories.Memory, Severity.Medium, "Native interop added",
        "[DllImport]/[LibraryImport] calls native code that the runtime cannot check: wrong signatures corrupt memory, and a library resolved from the search path can be planted (DLL hijacking).")
    {
        Cwes = [111],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.Attribute];

    public IReadOnlyList<string> Triggers { get; } = ["DllImport", "LibraryImport"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var attribute = (AttributeSyntax)node;
        if (SyntaxHelpers.AttributeName(attribute) is "DllImport" or "LibraryImport")
        {
            context.Report(this, attribute, $"[{attribute}] added: a native function is called");
        }
    }
}
