using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4001: unsafe code and raw memory access.</summary>
public sealed class UnsafeCodeRule : ISyntaxRule
{
    /// <summary>Unsafe/MemoryMarshal members that only compute sizes or compare references: no memory is read or written through them.</summary>
    private static readonly HashSet<string> ReadsNoMemory = ["SizeOf", "AreSame", "IsAddressGreaterThan", "IsAddressLessThan", "IsNullRef", "ByteOffset"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB4001", RiskCategories.Memory, Severity.Medium, "Unsafe code added",
        "unsafe methods and blocks, fixed statements, Unsafe.* and MemoryMarshal.* (except those that only measure or compare, such as Unsafe.SizeOf) bypass the runtime's type and bounds checks: a mistake becomes memory corruption instead of an exception.")
    {
        Cwes = [787],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
    [
        SyntaxKind.UnsafeStatement, SyntaxKind.FixedStatement, SyntaxKind.MethodDeclaration, SyntaxKind.LocalFunctionStatement,
        SyntaxKind.InvocationExpression,
    ];

    public IReadOnlyList<string> Triggers { get; } = ["unsafe", "fixed", "Unsafe", "MemoryMarshal"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        switch (node)
        {
            case UnsafeStatementSyntax u:
                context.Report(this, u.UnsafeKeyword.Parent!, "unsafe block added", key: "unsafe-block");
                break;
            case FixedStatementSyntax f:
                context.Report(this, f.Declaration, "fixed statement added: pins memory for pointer access", key: "fixed:" + SyntaxHelpers.Normalize(f.Declaration));
                break;
            case MethodDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                context.Report(this, m.ReturnType, $"unsafe method {m.Identifier.ValueText} added", key: "unsafe-method");
                break;
            case LocalFunctionStatementSyntax l when l.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                context.Report(this, l.ReturnType, $"unsafe local function {l.Identifier.ValueText} added", key: "unsafe-local:" + l.Identifier.ValueText);
                break;
            case InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ({ } n, { } r) && r is "Unsafe" or "MemoryMarshal" && !ReadsNoMemory.Contains(n):
                context.Report(this, i, $"{r}.{n} added: unchecked memory access");
                break;
        }
    }
}
