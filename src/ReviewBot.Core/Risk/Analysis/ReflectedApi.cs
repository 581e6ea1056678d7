using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Reflection that names its target with constants is a direct call in disguise:
/// <c>Type.GetType("System.Diagnostics.Process").GetMethod("Start").Invoke(null, new object[] { cmd })</c> is
/// <c>Process.Start(cmd)</c>, <c>Activator.CreateInstance(Type.GetType("System.Net.WebClient"))</c> is
/// <c>new WebClient()</c>. For such a call this builds the direct expression (a stand-in, parsed on its own), which the
/// analyzer shows to the rules in place of the real call, so the API is judged as itself: a dangerous one gives its
/// rule's finding, a harmless one none. Type and member names are resolved from string literals, <c>nameof</c>,
/// <c>typeof</c>, concatenations of those, <c>const</c> fields and locals of the file, and locals initialised once
/// with such an expression (a few steps deep).
/// </summary>
internal static class ReflectedApi
{
    private const int MaxSteps = 6;
    private const int MaxArgumentText = 2000;

    /// <summary>Text every call this resolves contains (for the analyzer's trigger search).</summary>
    public static IReadOnlyList<string> Triggers { get; } = ["CreateInstance", "Invoke"];

    /// <summary>The direct expression <paramref name="node"/> stands for, or null when it is no constant-named reflection.</summary>
    public static ExpressionSyntax? StandIn(SyntaxNode node)
    {
        if (node is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        var (name, receiver) = SyntaxHelpers.Invoked(invocation);
        var args = invocation.ArgumentList.Arguments;
        string? direct = null;
        if (name == "CreateInstance" && receiver == "Activator")
        {
            if (invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax { TypeArgumentList.Arguments: [var typeArgument] } })
            {
                direct = TypeName(typeArgument.ToString()) is { } t ? $"new {t}()" : null;
            }
            else if (args.Count >= 1 && TypeOf(args[0].Expression, 0) is { } type)
            {
                direct = $"new {type}({Arguments(args.Skip(1).Select(a => a.Expression))})";
            }
            else if (args.Count >= 2 && ConstantString(args[0].Expression, 0) is not null && ConstantString(args[1].Expression, 0) is { } named
                && TypeName(named) is { } typeFromName)
            {
                direct = $"new {typeFromName}()"; // CreateInstance(assemblyName, typeName)
            }
        }
        else if (name == "Invoke" && invocation.Expression is MemberAccessExpressionSyntax invoke && Method(invoke.Expression, 0) is var (type, method))
        {
            direct = $"{type}.{method}({Arguments(ArgumentArray(args.Count > 1 ? args[1].Expression : null))})";
        }
        else if (name == "InvokeMember" && invocation.Expression is MemberAccessExpressionSyntax member && args.Count >= 5
            && TypeOf(member.Expression, 0) is { } owner && ConstantString(args[0].Expression, 0) is { } memberName && IsIdentifier(memberName))
        {
            direct = $"{owner}.{memberName}({Arguments(ArgumentArray(args[4].Expression))})";
        }

        return direct is null ? null : SyntaxFactory.ParseExpression(direct, options: RoslynRiskAnalyzer.ParseOptions);
    }

    /// <summary>True when the call creates an instance of a type named by constants (judged as that type's constructor instead).</summary>
    public static bool CreatesNamedType(InvocationExpressionSyntax invocation) => StandIn(invocation) is ObjectCreationExpressionSyntax;

    /// <summary>(type, method) of <c>typeExpr.GetMethod("Name", …)</c>, through locals.</summary>
    private static (string Type, string Method)? Method(ExpressionSyntax expression, int step)
    {
        if (step > MaxSteps)
        {
            return null;
        }

        if (expression is IdentifierNameSyntax local && Initializer(local) is { } value)
        {
            return Method(value, step + 1);
        }

        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            && access.Name.Identifier.ValueText is "GetMethod" or "GetRuntimeMethod"
            && call.ArgumentList.Arguments.Count >= 1
            && TypeOf(access.Expression, step + 1) is { } type
            && ConstantString(call.ArgumentList.Arguments[0].Expression, step + 1) is { } method && IsIdentifier(method))
        {
            return (type, method);
        }

        return null;
    }

    /// <summary>The simple type name a <c>Type</c> expression names: <c>typeof(T)</c>, <c>Type.GetType("N.T")</c>, an assembly's <c>GetType("N.T")</c>, through locals.</summary>
    private static string? TypeOf(ExpressionSyntax expression, int step)
    {
        if (step > MaxSteps)
        {
            return null;
        }

        switch (expression)
        {
            case TypeOfExpressionSyntax t:
                return TypeName(t.Type.ToString());
            case IdentifierNameSyntax local when Initializer(local) is { } value:
                return TypeOf(value, step + 1);
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetType" } } call
                when call.ArgumentList.Arguments.Count >= 1 && ConstantString(call.ArgumentList.Arguments[0].Expression, step + 1) is { } name:
                return TypeName(name);
            default:
                return null;
        }
    }

    /// <summary>The value of a constant string expression: literals, nameof, concatenations, const fields and locals, single-assignment locals.</summary>
    public static string? ConstantString(ExpressionSyntax? expression, int step)
    {
        if (expression is null || step > MaxSteps)
        {
            return null;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression):
                return l.Token.ValueText;
            case ParenthesizedExpressionSyntax p:
                return ConstantString(p.Expression, step + 1);
            case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression):
                return ConstantString(b.Left, step + 1) is { } left && ConstantString(b.Right, step + 1) is { } right ? left + right : null;
            case InterpolatedStringExpressionSyntax i when i.Contents.All(c => c is InterpolatedStringTextSyntax):
                return string.Concat(i.Contents.Cast<InterpolatedStringTextSyntax>().Select(c => c.TextToken.ValueText));
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } n when n.ArgumentList.Arguments.Count == 1:
                return SyntaxHelpers.SimpleName(n.ArgumentList.Arguments[0].Expression);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax { Name: IdentifierNameSyntax }:
                return Initializer(expression) is { } value ? ConstantString(value, step + 1) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The initial value of the local, const or readonly field a name refers to, when the file declares exactly one
    /// variable of that name and assigns it nowhere else (a name that is reassigned is run-time data).
    /// </summary>
    private static ExpressionSyntax? Initializer(ExpressionSyntax name)
    {
        var identifier = SyntaxHelpers.SimpleName(name);
        if (identifier is null)
        {
            return null;
        }

        var scope = name.Ancestors().FirstOrDefault(a => a is TypeDeclarationSyntax or CompilationUnitSyntax) ?? name;
        ExpressionSyntax? value = null;
        var declarations = 0;
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax v when v.Identifier.ValueText == identifier:
                    declarations++;
                    value = v.Initializer?.Value;
                    break;
                case AssignmentExpressionSyntax a when SyntaxHelpers.SimpleName(a.Left) == identifier:
                case ParameterSyntax p when p.Identifier.ValueText == identifier:
                    return null;
            }
        }

        return declarations == 1 ? value : null;
    }

    /// <summary>The elements of <c>new object[] { a, b }</c>, <c>new[] { … }</c> or <c>[a, b]</c>; otherwise the expression itself as one run-time argument.</summary>
    private static IEnumerable<ExpressionSyntax> ArgumentArray(ExpressionSyntax? expression) => expression switch
    {
        null or LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } => [],
        ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
        ImplicitArrayCreationExpressionSyntax i => i.Initializer.Expressions,
        CollectionExpressionSyntax c => c.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression),
        _ => [SyntaxFactory.IdentifierName("arguments")],
    };

    private static string Arguments(IEnumerable<ExpressionSyntax> arguments)
    {
        var text = string.Join(", ", arguments.Select(a => a.ToString()));
        return text.Length > MaxArgumentText ? "arguments" : text;
    }

    /// <summary>The simple name of a type written as text: <c>System.Diagnostics.Process, System</c> → Process; <c>A+B</c> → B; <c>List`1</c> → List.</summary>
    private static string? TypeName(string text)
    {
        var name = text.Split(',')[0].Trim();
        name = name[(Math.Max(name.LastIndexOf('.'), Math.Max(name.LastIndexOf('+'), name.LastIndexOf(':'))) + 1)..];
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick >= 0 ? name[..tick] : name;
        return IsIdentifier(name) ? name : null;
    }

    private static bool IsIdentifier(string name) => SyntaxFacts.IsValidIdentifier(name);
}
