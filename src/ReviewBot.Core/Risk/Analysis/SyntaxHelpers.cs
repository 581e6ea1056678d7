using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk;

/// <summary>Small syntax questions shared by rules. Every walk here is iterative or depth-guarded.</summary>
public static class SyntaxHelpers
{
    private const int MaxKeyLength = 240;
    private const int MaxDepth = 64;

    /// <summary>The node's tokens without trivia, truncated: a key that ignores formatting.</summary>
    public static string Normalize(SyntaxNode node)
    {
        // Without trivia inside (no whitespace, comment, directive, skipped or odd text), the node's own text is
        // already its tokens back to back.
        if (node.Span.Length <= MaxKeyLength && !node.ContainsDirectives && !node.ContainsSkippedText && !node.ContainsDiagnostics)
        {
            var text = node.ToString();
            if (!text.AsSpan().ContainsAnyExceptInRange('!', '~') && !text.Contains('/', StringComparison.Ordinal))
            {
                return text;
            }

            // The text and format of an interpolated string lie inside these nodes and its quotes outside.
            if (node is not (InterpolatedStringTextSyntax or InterpolationSyntax or InterpolationFormatClauseSyntax) && WithoutWhitespace(text) is { } tokens)
            {
                return tokens;
            }
        }

        var sb = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            sb.Append(token.Text);
            if (sb.Length > MaxKeyLength)
            {
                sb.Length = MaxKeyLength;
                sb.Append('…').Append(node.Span.Length);
                break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The text without the whitespace between tokens, when its trivia can only be ordinary whitespace: outside regular
    /// string and character literals (copied whole, escapes included) only printable ASCII but '/' (a comment may start
    /// there), '$' and '@' (interpolated and verbatim strings, whose spaces and quotes read otherwise), and spaces, tabs and
    /// line breaks. Null for any other text (a raw string literal included), which the caller joins token by token.
    /// </summary>
    private static string? WithoutWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var at = 0; at < text.Length; at++)
        {
            var c = text[at];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    continue;
                case '"' or '\'':
                    if (c == '"' && at + 2 < text.Length && text[at + 1] == '"' && text[at + 2] == '"')
                    {
                        return null; // a raw string literal
                    }

                    var end = at + 1;
                    while (end < text.Length && text[end] != c)
                    {
                        end += text[end] == '\\' ? 2 : 1;
                    }

                    if (end >= text.Length)
                    {
                        return null;
                    }

                    result.Append(text, at, end - at + 1);
                    at = end;
                    continue;
                case '/' or '$' or '@' or < '!' or > '~':
                    return null;
                default:
                    result.Append(c);
                    continue;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The simple name a member access, invocation target or name ends with (<c>a.b.Foo</c> → Foo); during a walk, a
    /// <c>using</c> alias of the file resolves to the type it names (<c>P</c> → Process, see <see cref="Analysis.TypeAliases"/>).
    /// </summary>
    public static string? SimpleName(ExpressionSyntax? expression) => expression switch
    {
        IdentifierNameSyntax id => Analysis.TypeAliases.Resolve(id.Identifier.ValueText),
        GenericNameSyntax g => g.Identifier.ValueText,
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax b => b.Name.Identifier.ValueText,
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
        PredefinedTypeSyntax p => p.Keyword.ValueText,
        _ => null,
    };

    /// <summary>
    /// The simple name of the receiver of a member access (<c>File.ReadAllText</c> → File); for a bare name during a walk,
    /// the type a <c>using static</c> of the file imports, when it is one a rule looks for.
    /// </summary>
    public static string? ReceiverName(ExpressionSyntax? expression) => expression switch
    {
        MemberAccessExpressionSyntax m => SimpleName(m.Expression),
        IdentifierNameSyntax => Analysis.TypeAliases.BareCallReceiver,
        _ => null,
    };

    /// <summary>Name and receiver name of an invocation: <c>Process.Start(x)</c> → ("Start", "Process").</summary>
    public static (string? Name, string? Receiver) Invoked(InvocationExpressionSyntax invocation)
        => (SimpleName(invocation.Expression), ReceiverName(invocation.Expression));

    /// <summary>The type name of an object creation (<c>new System.Net.WebClient()</c> → WebClient); null for target-typed new.</summary>
    public static string? CreatedType(BaseObjectCreationExpressionSyntax creation)
        => creation is ObjectCreationExpressionSyntax o ? SimpleName(o.Type) : null;

    /// <summary>Argument <paramref name="index"/>'s expression, or null.</summary>
    public static ExpressionSyntax? Arg(BaseArgumentListSyntax? args, int index)
        => args is not null && args.Arguments.Count > index ? args.Arguments[index].Expression : null;

    /// <summary>
    /// True when the expression is a compile-time-constant-looking string: literals, names declared <c>const</c> in
    /// the same file (<c>Select</c>, <c>Queries.Select</c>; unless a parameter of that name hides it), nameof,
    /// concatenations of those, and interpolations without holes.
    /// </summary>
    public static bool IsConstantText(ExpressionSyntax? expression) => IsConstantText(expression, 0);

    private static bool IsConstantText(ExpressionSyntax? expression, int depth)
    {
        if (expression is null || depth > MaxDepth)
        {
            return false;
        }

        return expression switch
        {
            LiteralExpressionSyntax => true,
            ParenthesizedExpressionSyntax p => IsConstantText(p.Expression, depth + 1),
            BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression) =>
                IsConstantText(b.Left, depth + 1) && IsConstantText(b.Right, depth + 1),
            InterpolatedStringExpressionSyntax i => i.Contents.All(c => c is InterpolatedStringTextSyntax),
            InvocationExpressionSyntax inv when SimpleName(inv.Expression) == "nameof" => true,
            IdentifierNameSyntax id => IsDeclaredConst(id, id.Identifier.ValueText),
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name, Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax } m
                => IsDeclaredConst(m, name.Identifier.ValueText),
            _ => false,
        };
    }

    private static readonly ConditionalWeakTable<SyntaxTree, HashSet<string>> ConstNames = new();

    /// <summary>
    /// The name is a const the use can see: a const local of an enclosing block, or a const field of an enclosing type
    /// (<paramref name="node"/> a simple name), or of a type of that name declared in the file (<c>Queries.Select</c>);
    /// and no parameter, local, foreach, catch, pattern, out or query variable of the member uses the name.
    /// </summary>
    private static bool IsDeclaredConst(SyntaxNode node, string name)
    {
        if (!ConstNames.GetValue(node.SyntaxTree, ConstNamesOf).Contains(name))
        {
            return false;
        }

        if (node is MemberAccessExpressionSyntax access)
        {
            var leftmost = access.Expression;
            while (leftmost is MemberAccessExpressionSyntax inner)
            {
                leftmost = inner.Expression;
            }

            return SimpleName(access.Expression) is { } typeName
                && !(leftmost is IdentifierNameSyntax first && DeclaredInMember(node, first.Identifier.ValueText))
                && node.SyntaxTree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
                    .OfType<TypeDeclarationSyntax>()
                    .Any(t => t.Identifier.ValueText == typeName && DeclaresConstField(t, name) == true);
        }

        if (DeclaredInMember(node, name))
        {
            // A const local in an enclosing block (hiding anything else); any other local, parameter or variable is run-time text.
            for (var current = node.Parent; current is not null and (not MemberDeclarationSyntax or GlobalStatementSyntax); current = current.Parent)
            {
                IEnumerable<StatementSyntax> statements = current switch
                {
                    BlockSyntax b => b.Statements,
                    SwitchSectionSyntax s => s.Statements,
                    CompilationUnitSyntax c => c.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement),
                    _ => [],
                };
                foreach (var statement in statements)
                {
                    if (statement is LocalDeclarationStatementSyntax { IsConst: true } l && l.Declaration.Variables.Any(v => v.Identifier.ValueText == name))
                    {
                        return !DeclaredInMember(node, name, exceptConstLocals: true);
                    }
                }
            }

            return false;
        }

        // The innermost enclosing type that declares a member of that name decides.
        foreach (var type in node.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (DeclaresConstField(type, name) is { } isConst)
            {
                return isConst;
            }
        }

        return false;
    }

    /// <summary>True when the type declares a const field of that name, false for another member of that name, null for none.</summary>
    private static bool? DeclaresConstField(TypeDeclarationSyntax type, string name)
    {
        foreach (var member in type.Members)
        {
            switch (member)
            {
                case BaseFieldDeclarationSyntax f when f.Declaration.Variables.Any(v => v.Identifier.ValueText == name):
                    return f is FieldDeclarationSyntax && f.Modifiers.Any(SyntaxKind.ConstKeyword);
                case PropertyDeclarationSyntax p when p.Identifier.ValueText == name:
                case MethodDeclarationSyntax m when m.Identifier.ValueText == name:
                case EventDeclarationSyntax e when e.Identifier.ValueText == name:
                case BaseTypeDeclarationSyntax t when t.Identifier.ValueText == name:
                    return false;
            }
        }

        return null;
    }

    /// <summary>
    /// The enclosing member (or top-level statement) declares a parameter, local, foreach, catch, pattern, out or query
    /// variable of that name anywhere (a whole-member look: a same-named variable elsewhere in it errs towards run-time text).
    /// </summary>
    private static bool DeclaredInMember(SyntaxNode node, string name, bool exceptConstLocals = false)
    {
        if (SyntaxContext.ParameterNames(node).Contains(name))
        {
            return true;
        }

        var scope = node.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax) ?? node.SyntaxTree.GetRoot();
        if (scope is BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax)
        {
            return false;
        }

        foreach (var token in scope.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != name)
            {
                continue;
            }

            switch (token.Parent)
            {
                case VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: var holder } }
                    when holder is not FieldDeclarationSyntax and not EventFieldDeclarationSyntax:
                    if (!(exceptConstLocals && holder is LocalDeclarationStatementSyntax { IsConst: true }))
                    {
                        return true;
                    }

                    break;
                case ParameterSyntax:
                case ForEachStatementSyntax:
                case CatchDeclarationSyntax:
                case SingleVariableDesignationSyntax:
                case FromClauseSyntax:
                case LetClauseSyntax:
                case JoinClauseSyntax:
                case JoinIntoClauseSyntax:
                case QueryContinuationSyntax:
                case LocalFunctionStatementSyntax:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Names of the const fields and locals a file declares, found from its text (no walk of the whole tree).</summary>
    private static HashSet<string> ConstNamesOf(SyntaxTree tree)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var root = tree.GetRoot();
        var text = tree.GetText().ToString();
        for (var at = text.IndexOf("const", StringComparison.Ordinal); at >= 0; at = text.IndexOf("const", at + 5, StringComparison.Ordinal))
        {
            var token = root.FindToken(at);
            if (!token.IsKind(SyntaxKind.ConstKeyword) || token.SpanStart != at)
            {
                continue;
            }

            var declaration = token.Parent switch
            {
                FieldDeclarationSyntax f => f.Declaration,
                LocalDeclarationStatementSyntax l => l.Declaration,
                _ => null,
            };
            foreach (var variable in declaration?.Variables ?? default)
            {
                names.Add(variable.Identifier.ValueText);
            }
        }

        return names;
    }

    /// <summary>Text built at run time: concatenation, interpolation with holes, string.Format/Concat/Join, StringBuilder.ToString().</summary>
    public static bool IsBuiltString(ExpressionSyntax? expression)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax p:
                return IsBuiltString(p.Expression);
            case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression):
                return !IsConstantText(b);
            case InterpolatedStringExpressionSyntax i:
                return i.Contents.Any(c => c is InterpolationSyntax);
            case InvocationExpressionSyntax inv:
                var (name, receiver) = Invoked(inv);
                return (receiver is "string" or "String" && name is "Format" or "Concat" or "Join")
                    || (name == "ToString" && inv.ArgumentList.Arguments.Count == 0
                        && inv.Expression is MemberAccessExpressionSyntax m
                        && (m.Expression.ToString().Contains("sb", StringComparison.OrdinalIgnoreCase)
                            || m.Expression.ToString().Contains("builder", StringComparison.OrdinalIgnoreCase)));
            default:
                return false;
        }
    }

    /// <summary>
    /// True when the expression is built at run time, or is a local whose initializer (or an assignment) in
    /// <paramref name="scope"/> is; <paramref name="built"/> is the building expression.
    /// </summary>
    public static bool IsBuiltOrFromBuilt(ExpressionSyntax? expression, SyntaxNode scope, out ExpressionSyntax? built)
    {
        built = null;
        if (IsBuiltString(expression))
        {
            built = expression;
            return true;
        }

        if (expression is not IdentifierNameSyntax id)
        {
            return false;
        }

        var name = id.Identifier.ValueText;
        foreach (var node in scope.DescendantNodes())
        {
            var value = node switch
            {
                VariableDeclaratorSyntax v when v.Identifier.ValueText == name => v.Initializer?.Value,
                AssignmentExpressionSyntax a when a.Left is IdentifierNameSyntax l && l.Identifier.ValueText == name => a.Right,
                _ => null,
            };
            if (IsBuiltString(value))
            {
                built = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The algorithm a node instantiates: <c>Alg.Create()</c> (or another listed static factory method),
    /// <c>new AlgType()</c>, or <c>Factory.Create("Alg")</c> with a string name; null otherwise.
    /// </summary>
    public static string? CreatedAlgorithm(
        SyntaxNode node,
        IReadOnlySet<string> algorithms,
        IReadOnlySet<string> types,
        IReadOnlySet<string> staticMethods,
        IReadOnlySet<string> factories)
    {
        if (node is ObjectCreationExpressionSyntax o)
        {
            return CreatedType(o) is { } type && types.Contains(type) ? type : null;
        }

        if (node is not InvocationExpressionSyntax i || Invoked(i) is not ({ } name, { } receiver))
        {
            return null;
        }

        if (algorithms.Contains(receiver) && staticMethods.Contains(name))
        {
            return receiver;
        }

        if (name is "Create" or "CreateFromName" && factories.Contains(receiver) && Arg(i.ArgumentList, 0) is LiteralExpressionSyntax l)
        {
            var algorithm = l.Token.ValueText.Replace("-", "", StringComparison.Ordinal);
            return algorithms.Contains(algorithm) ? algorithm : null;
        }

        return null;
    }

    /// <summary>True when any identifier in the expression names one of <paramref name="names"/>.</summary>
    public static bool Mentions(SyntaxNode? node, IReadOnlySet<string> names)
    {
        if (node is null || names.Count == 0)
        {
            return false;
        }

        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && names.Contains(token.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The attribute's simple name without the Attribute suffix (<c>[Microsoft.AspNetCore.Authorization.AuthorizeAttribute]</c> → Authorize).</summary>
    public static string AttributeName(AttributeSyntax attribute)
    {
        var name = SimpleName(attribute.Name) ?? attribute.Name.ToString();
        return name.EndsWith("Attribute", StringComparison.Ordinal) && name.Length > "Attribute".Length
            ? name[..^"Attribute".Length]
            : name;
    }

    /// <summary>The assigned member's simple name for <c>x.Y = v</c>, <c>Y = v</c> (also in object initializers).</summary>
    public static string? AssignedName(AssignmentExpressionSyntax assignment) => SimpleName(assignment.Left);

    /// <summary>True for an expression that is trivially always <c>false</c>: the literal, <c>!true</c>, <c>x != x</c> … (see <see cref="ConstantTruth"/>).</summary>
    public static bool IsFalse(ExpressionSyntax? e) => ConstantTruth.Of(e) == false;

    /// <summary>True for an expression that is trivially always <c>true</c>: the literal, <c>!false</c>, <c>e == e</c> … (see <see cref="ConstantTruth"/>).</summary>
    public static bool IsTrue(ExpressionSyntax? e) => ConstantTruth.Of(e) == true;

    /// <summary>
    /// True for a lambda, anonymous method, or method group naming a method or local function of the same file, whose
    /// every result is trivially <c>true</c> (a validation callback that accepts everything).
    /// </summary>
    public static bool AlwaysReturnsTrue(ExpressionSyntax? expression)
    {
        var body = expression switch
        {
            LambdaExpressionSyntax l => (SyntaxNode?)l.ExpressionBody ?? l.Block,
            AnonymousMethodExpressionSyntax a => a.Block,
            _ => null,
        };
        if (body is null && expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax })
        {
            return MethodGroupAlwaysReturnsTrue(expression);
        }

        return BodyAlwaysReturnsTrue(body);
    }

    /// <summary>Every method and local function of the file with the group's name (overloads included) has a body that always returns true.</summary>
    private static bool MethodGroupAlwaysReturnsTrue(ExpressionSyntax group)
    {
        var name = SimpleName(group);
        var bodies = group.SyntaxTree.GetRoot().DescendantNodes()
            .Select(n => n switch
            {
                MethodDeclarationSyntax m when m.Identifier.ValueText == name => (SyntaxNode?)m.ExpressionBody?.Expression ?? m.Body,
                LocalFunctionStatementSyntax f when f.Identifier.ValueText == name => (SyntaxNode?)f.ExpressionBody?.Expression ?? f.Body,
                _ => null,
            })
            .OfType<SyntaxNode>()
            .ToList();
        return bodies.Count > 0 && bodies.All(BodyAlwaysReturnsTrue);
    }

    private static bool BodyAlwaysReturnsTrue(SyntaxNode? body)
    {
        if (body is ExpressionSyntax e)
        {
            return IsTrue(e);
        }

        if (body is not BlockSyntax block)
        {
            return false;
        }

        var returns = block.DescendantNodes(n => n is not LambdaExpressionSyntax and not LocalFunctionStatementSyntax)
            .OfType<ReturnStatementSyntax>().ToList();
        return returns.Count > 0 && returns.All(r => IsTrue(r.Expression));
    }
}
