using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Lists the members of one parsed file (types, methods, properties, fields, …) with their identity and a
/// whitespace-insensitive hash of their own text. Walks only the declaration structure, never bodies.
/// </summary>
/// <param name="keyPath">The file's head path: file-level identities survive renames.</param>
internal sealed class MemberIndexer(string path, Side side, string source, SourceText text, bool isTestFile, string keyPath)
{
    private readonly StringBuilder scratch = new();

    public List<MemberVersion> Index(CompilationUnitSyntax root)
    {
        var members = new List<MemberVersion>();
        var fileMember = new MemberVersion
        {
            Key = "X:" + keyPath,
            LooseKey = "X:" + keyPath,
            Kind = MemberKind.File,
            DisplayName = path,
            Path = path,
            Side = side,
            Text = text,
            Source = source,
            Node = null,
            IsTestFile = isTestFile,
        };
        members.Add(fileMember);

        if (root.AttributeLists.Count > 0)
        {
            var assembly = Pseudo(MemberKind.AssemblyAttributes, "A:" + keyPath, "assembly attributes", root.AttributeLists[0]);
            assembly.ScanRoots.AddRange(root.AttributeLists);
            assembly.OwnText = root.AttributeLists.Select(a => a.FullSpan).ToArray();
            members.Add(assembly);
        }

        var globals = root.Members.OfType<GlobalStatementSyntax>().ToList();
        if (globals.Count > 0)
        {
            var top = Pseudo(MemberKind.TopLevel, "G:" + keyPath, "top-level statements", globals[0]);
            top.ScanRoots.AddRange(globals);
            top.OwnText = globals.Select(g => g.FullSpan).ToArray();
            members.Add(top);
        }

        // Iterative walk over namespaces and types: (container node, namespace prefix, containing type member).
        var stack = new Stack<(SyntaxList<MemberDeclarationSyntax> Members, string Namespace, MemberVersion? Parent)>();
        stack.Push((root.Members, "", null));
        while (stack.Count > 0)
        {
            var (list, ns, parent) = stack.Pop();
            foreach (var member in list)
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax n:
                        stack.Push((n.Members, ns.Length == 0 ? Tokens(n.Name) : ns + "." + Tokens(n.Name), parent));
                        break;
                    case BaseTypeDeclarationSyntax t:
                        var type = IndexType(t, ns, parent);
                        members.Add(type);
                        if (t is TypeDeclarationSyntax withMembers)
                        {
                            stack.Push((withMembers.Members, ns, type));
                        }
                        else if (t is EnumDeclarationSyntax e)
                        {
                            foreach (var value in e.Members)
                            {
                                members.Add(Member(value, MemberKind.EnumMember, type, "F:", value.Identifier.ValueText, "", value.Identifier.Span));
                            }
                        }

                        break;
                    case DelegateDeclarationSyntax d:
                        members.Add(Member(d, MemberKind.Delegate, parent, "T:", Prefix(ns, parent) + d.Identifier.ValueText + Arity(d.TypeParameterList),
                            "", d.Identifier.Span, isType: true));
                        break;
                    case GlobalStatementSyntax:
                        break;
                    default:
                        if (parent is not null && IndexMember(member, parent) is { } m)
                        {
                            members.Add(m);
                        }

                        break;
                }
            }
        }

        return members;
    }

    private MemberVersion IndexType(BaseTypeDeclarationSyntax t, string ns, MemberVersion? parent)
    {
        var arity = t is TypeDeclarationSyntax td ? Arity(td.TypeParameterList) : "";
        var key = string.Concat(["T:", parent?.DisplayName ?? ns, parent is not null || ns.Length > 0 ? "." : "", t.Identifier.ValueText, arity]);
        var type = new MemberVersion
        {
            Key = key,
            LooseKey = key,
            ParentKey = parent?.Key,
            Kind = MemberKind.Type,
            IsPublicApi = IsVisible(t.Modifiers, parent, defaultPublic: parent?.Node is InterfaceDeclarationSyntax) && !isTestFile,
            IsTestFile = isTestFile,
            Path = path,
            Side = side,
            Text = text,
            Source = source,
            Node = t,
            Anchor = t.Identifier.Span,
        };

        type.ScanRoots.AddRange(t.AttributeLists);
        if (t.BaseList is not null)
        {
            type.ScanRoots.Add(t.BaseList);
        }

        if (t is TypeDeclarationSyntax withParts)
        {
            if (withParts.ParameterList is not null)
            {
                type.ScanRoots.Add(withParts.ParameterList);
            }

            type.ScanRoots.AddRange(withParts.ConstraintClauses);
        }

        // The type's own text: its full span minus its members' (they are compared on their own).
        var own = new List<TextSpan>();
        var position = t.FullSpan.Start;
        IEnumerable<SyntaxNode> children = t switch
        {
            TypeDeclarationSyntax x => x.Members,
            EnumDeclarationSyntax e => e.Members,
            _ => [],
        };
        foreach (var child in children)
        {
            own.Add(TextSpan.FromBounds(position, child.FullSpan.Start));
            position = child.FullSpan.End;
        }

        own.Add(TextSpan.FromBounds(position, t.FullSpan.End));
        type.OwnText = [.. own];
        return type;
    }

    private MemberVersion? IndexMember(MemberDeclarationSyntax member, MemberVersion parent)
    {
        switch (member)
        {
            case MethodDeclarationSyntax m:
                var explicitIface = m.ExplicitInterfaceSpecifier is null ? "" : Tokens(m.ExplicitInterfaceSpecifier.Name) + ".";
                return Member(m, MemberKind.Method, parent, "M:", explicitIface + m.Identifier.ValueText + Arity(m.TypeParameterList),
                    Params(m.ParameterList), m.Identifier.Span, isTestMethod: IsTestMethod(m.AttributeLists), interfaceMember: m.ExplicitInterfaceSpecifier is not null);
            case ConstructorDeclarationSyntax c:
                return Member(c, MemberKind.Constructor, parent, "M:", c.Modifiers.Any(SyntaxKind.StaticKeyword) ? ".cctor" : ".ctor", Params(c.ParameterList), c.Identifier.Span);
            case DestructorDeclarationSyntax d:
                return Member(d, MemberKind.Destructor, parent, "M:", "Finalize", "()", d.Identifier.Span);
            case OperatorDeclarationSyntax o:
                return Member(o, MemberKind.Operator, parent, "M:", "op " + o.OperatorToken.Text, Params(o.ParameterList), o.OperatorToken.Span);
            case ConversionOperatorDeclarationSyntax co:
                return Member(co, MemberKind.Operator, parent, "M:", "op " + co.ImplicitOrExplicitKeyword.Text + " " + Tokens(co.Type), Params(co.ParameterList), co.Type.Span);
            case PropertyDeclarationSyntax p:
                return Member(p, MemberKind.Property, parent, "P:", ExplicitName(p.ExplicitInterfaceSpecifier) + p.Identifier.ValueText, "", p.Identifier.Span,
                    interfaceMember: p.ExplicitInterfaceSpecifier is not null);
            case IndexerDeclarationSyntax i:
                return Member(i, MemberKind.Indexer, parent, "P:", ExplicitName(i.ExplicitInterfaceSpecifier) + "this", Params(i.ParameterList), i.ThisKeyword.Span,
                    interfaceMember: i.ExplicitInterfaceSpecifier is not null);
            case EventDeclarationSyntax e:
                return Member(e, MemberKind.Event, parent, "E:", ExplicitName(e.ExplicitInterfaceSpecifier) + e.Identifier.ValueText, "", e.Identifier.Span,
                    interfaceMember: e.ExplicitInterfaceSpecifier is not null);
            case EventFieldDeclarationSyntax ef:
                return Member(ef, MemberKind.Event, parent, "E:", string.Join(",", ef.Declaration.Variables.Select(v => v.Identifier.ValueText)), "",
                    ef.Declaration.Variables[0].Identifier.Span);
            case FieldDeclarationSyntax f:
                return Member(f, MemberKind.Field, parent, "F:", string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.ValueText)), "",
                    f.Declaration.Variables[0].Identifier.Span);
            default:
                return null;
        }
    }

    /// <summary>
    /// The whitespace-free declaration shape used to compare public API (modifiers, types, parameters,
    /// accessors, base list). Computed only for members the change touched.
    /// </summary>
    internal static string SignatureOf(SyntaxNode node, string displayName)
    {
        // One pooled builder; the same text as concatenating the parts (see Tokens) without the intermediate strings.
        var sb = SignatureBuilder ??= new StringBuilder();
        sb.Clear();
        switch (node)
        {
            case TypeDeclarationSyntax t:
                sb.Append(t.Keyword.Text).Append(' ');
                AppendTokens(sb, t.Modifiers);
                sb.Append(' ').Append(displayName);
                AppendTokens(sb, t.TypeParameterList);
                AppendTokens(sb, t.ParameterList);
                AppendTokens(sb, t.BaseList);
                break;
            case EnumDeclarationSyntax e:
                sb.Append("enum ");
                AppendTokens(sb, e.Modifiers);
                sb.Append(' ').Append(displayName);
                AppendTokens(sb, e.BaseList);
                break;
            case DelegateDeclarationSyntax d:
                AppendHeader(sb, d.Modifiers, d.ReturnType, d.TypeParameterList, d.ParameterList);
                break;
            case MethodDeclarationSyntax m:
                AppendHeader(sb, m.Modifiers, m.ReturnType, m.TypeParameterList, m.ParameterList);
                foreach (var clause in m.ConstraintClauses)
                {
                    AppendTokens(sb, clause);
                }

                break;
            case ConstructorDeclarationSyntax c:
                AppendTokens(sb, c.Modifiers);
                sb.Append(" ctor");
                AppendTokens(sb, c.ParameterList);
                break;
            case OperatorDeclarationSyntax o:
                AppendHeader(sb, o.Modifiers, o.ReturnType, null, o.ParameterList);
                break;
            case ConversionOperatorDeclarationSyntax co:
                AppendHeader(sb, co.Modifiers, co.Type, null, co.ParameterList);
                break;
            case PropertyDeclarationSyntax p:
                AppendModifiersAndType(sb, p.Modifiers, p.Type);
                sb.Append(' ').Append(Accessors(p.AccessorList, p.ExpressionBody));
                break;
            case IndexerDeclarationSyntax i:
                AppendModifiersAndType(sb, i.Modifiers, i.Type);
                AppendTokens(sb, i.ParameterList);
                sb.Append(' ').Append(Accessors(i.AccessorList, i.ExpressionBody));
                break;
            case EventDeclarationSyntax e:
                AppendModifiersAndType(sb, e.Modifiers, e.Type);
                break;
            case EventFieldDeclarationSyntax ef:
                AppendModifiersAndType(sb, ef.Modifiers, ef.Declaration.Type);
                break;
            case FieldDeclarationSyntax f:
                AppendModifiersAndType(sb, f.Modifiers, f.Declaration.Type);
                if (f.Modifiers.Any(SyntaxKind.ConstKeyword))
                {
                    AppendTokens(sb, f.Declaration);
                }

                break;
            case EnumMemberDeclarationSyntax v:
                foreach (var list in v.AttributeLists)
                {
                    AppendTokens(sb, list);
                }

                sb.Append(v.Identifier.ValueText).Append('=').Append(EnumValue(v));
                break;
            default:
                return "";
        }

        return sb.ToString();
    }

    /// <summary>
    /// An enum value as the compiler gives it: its written value, or, when implicit, the nearest written value above it
    /// plus the distance (0-based index when none is written), so <c>A</c> and <c>A = 0</c> read the same.
    /// </summary>
    private static string EnumValue(EnumMemberDeclarationSyntax member)
    {
        if (member.EqualsValue is { } written)
        {
            return Tokens(written.Value);
        }

        if (member.Parent is not EnumDeclarationSyntax owner)
        {
            return "";
        }

        var index = owner.Members.IndexOf(member);
        for (var i = index - 1; i >= 0; i--)
        {
            if (owner.Members[i].EqualsValue is { } above)
            {
                var text = Tokens(above.Value);
                return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? (number + index - i).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : text + "+" + (index - i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [ThreadStatic]
    private static StringBuilder? SignatureBuilder;

    private MemberVersion Member(
        SyntaxNode node,
        MemberKind kind,
        MemberVersion? parent,
        string prefix,
        string name,
        string parameters,
        TextSpan anchor,
        bool isTestMethod = false,
        bool interfaceMember = false,
        bool isType = false)
    {
        // One string per member: the display name is the key after its prefix, the loose key the key without parameters.
        var key = parent is null || isType ? string.Concat(prefix, name, parameters) : string.Concat([prefix, parent.DisplayName, ".", name, parameters]);
        var modifiers = node is MemberDeclarationSyntax md ? md.Modifiers : default;
        var defaultPublic = kind == MemberKind.EnumMember || parent?.Node is InterfaceDeclarationSyntax;
        var member = new MemberVersion
        {
            Key = key,
            LooseKey = parameters.Length == 0 ? key : key[..^parameters.Length],
            ParentKey = parent?.Key,
            Kind = kind,
            IsPublicApi = !isTestFile && !interfaceMember && IsVisible(modifiers, parent, defaultPublic),
            IsTestMethod = isTestMethod,
            IsTestFile = isTestFile,
            Path = path,
            Side = side,
            Text = text,
            Source = source,
            Node = node,
            Anchor = anchor,
            OwnText = [node.FullSpan],
        };
        return member;
    }

    private MemberVersion Pseudo(MemberKind kind, string key, string display, SyntaxNode anchor) => new()
    {
        Key = key,
        LooseKey = key,
        Kind = kind,
        DisplayName = path + ": " + display,
        Path = path,
        Side = side,
        Text = text,
        Source = source,
        Node = anchor.Parent,
        Anchor = anchor.Span,
        IsTestFile = isTestFile,
    };

    private static bool IsVisible(SyntaxTokenList modifiers, MemberVersion? parent, bool defaultPublic)
    {
        if (parent is not null && !parent.IsPublicApi)
        {
            return false;
        }

        var isPublic = modifiers.Any(SyntaxKind.PublicKeyword);
        var isProtected = modifiers.Any(SyntaxKind.ProtectedKeyword) && !modifiers.Any(SyntaxKind.PrivateKeyword);
        var hasAccess = modifiers.Any(SyntaxKind.PublicKeyword) || modifiers.Any(SyntaxKind.ProtectedKeyword)
            || modifiers.Any(SyntaxKind.PrivateKeyword) || modifiers.Any(SyntaxKind.InternalKeyword);
        return isPublic || isProtected || (defaultPublic && !hasAccess);
    }

    internal static bool RequiresImplementation(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.AbstractKeyword)
            || (m.Parent is InterfaceDeclarationSyntax && m.Body is null && m.ExpressionBody is null && !m.Modifiers.Any(SyntaxKind.StaticKeyword)),
        PropertyDeclarationSyntax p => p.Modifiers.Any(SyntaxKind.AbstractKeyword)
            || (p.Parent is InterfaceDeclarationSyntax && p.ExpressionBody is null
                && p.AccessorList?.Accessors.All(a => a.Body is null && a.ExpressionBody is null) == true && !p.Modifiers.Any(SyntaxKind.StaticKeyword)),
        _ => false,
    };

    internal static bool IsTestMethod(SyntaxList<AttributeListSyntax> lists)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (SyntaxHelpers.AttributeName(attribute) is "Fact" or "Theory" or "Test" or "TestMethod" or "DataTestMethod" or "TestCase"
                    or "TestCaseSource" or "SkippableFact" or "SkippableTheory")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string Prefix(string ns, MemberVersion? parent)
        => parent is not null ? parent.DisplayName + "." : ns.Length > 0 ? ns + "." : "";

    private static string Arity(TypeParameterListSyntax? list) => list is null ? "" : "`" + list.Parameters.Count;

    private static string ExplicitName(ExplicitInterfaceSpecifierSyntax? spec) => spec is null ? "" : Tokens(spec.Name) + ".";

    private string Params(BaseParameterListSyntax list)
    {
        var bracketed = list is BracketedParameterListSyntax;
        var sb = scratch.Clear().Append(bracketed ? '[' : '(');
        var first = true;
        foreach (var p in list.Parameters)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            foreach (var modifier in p.Modifiers)
            {
                sb.Append(modifier.Text).Append(' ');
            }

            AppendType(sb, p.Type);
        }

        return sb.Append(bracketed ? ']' : ')').ToString();
    }

    /// <summary>A type's text without whitespace; the common shapes without allocating.</summary>
    private static void AppendType(StringBuilder sb, TypeSyntax? type)
    {
        switch (type)
        {
            case null:
                return;
            case PredefinedTypeSyntax p:
                sb.Append(p.Keyword.Text);
                return;
            case IdentifierNameSyntax id:
                sb.Append(id.Identifier.Text);
                return;
            default:
                var text = type.ToString();
                foreach (var c in text)
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        sb.Append(c);
                    }
                }

                return;
        }
    }

    private static void AppendModifiersAndType(StringBuilder sb, SyntaxTokenList modifiers, TypeSyntax type)
    {
        AppendTokens(sb, modifiers);
        sb.Append(' ');
        AppendTokens(sb, type);
    }

    private static void AppendHeader(StringBuilder sb, SyntaxTokenList modifiers, TypeSyntax returnType, TypeParameterListSyntax? typeParameters, ParameterListSyntax parameters)
    {
        AppendModifiersAndType(sb, modifiers, returnType);
        AppendTokens(sb, typeParameters);
        AppendTokens(sb, parameters);
    }

    private static string Accessors(AccessorListSyntax? accessors, ArrowExpressionClauseSyntax? arrow)
    {
        if (accessors is null)
        {
            return arrow is null ? "" : "get";
        }

        // A private accessor is no part of the contract (callers and overriders cannot use it).
        return string.Join(";", accessors.Accessors.Where(a => !a.Modifiers.Any(SyntaxKind.PrivateKeyword))
            .Select(a => (Tokens(a.Modifiers) + " " + a.Keyword.Text).Trim()));
    }

    /// <summary>Modifiers that do not change how callers see a member (async, partial, unsafe, extern) are left out.</summary>
    private static string Tokens(SyntaxTokenList tokens)
    {
        var sb = new StringBuilder();
        AppendTokens(sb, tokens);
        return sb.ToString();
    }

    private static void AppendTokens(StringBuilder sb, SyntaxTokenList tokens)
    {
        var first = true;
        foreach (var t in tokens)
        {
            if (t.IsKind(SyntaxKind.AsyncKeyword) || t.IsKind(SyntaxKind.PartialKeyword) || t.IsKind(SyntaxKind.UnsafeKeyword) || t.IsKind(SyntaxKind.ExternKeyword))
            {
                continue;
            }

            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            sb.Append(t.Text);
        }
    }

    private static string Tokens(SyntaxNode? node)
    {
        var sb = new StringBuilder();
        AppendTokens(sb, node);
        return sb.ToString();
    }

    /// <summary>The node's tokens without trivia; a space only where two identifier characters would meet.</summary>
    private static void AppendTokens(StringBuilder sb, SyntaxNode? node)
    {
        if (node is null)
        {
            return;
        }

        var start = sb.Length;
        foreach (var token in node.DescendantTokens())
        {
            var tokenText = token.Text;
            if (sb.Length > start && SyntaxFacts.IsIdentifierPartCharacter(sb[^1]) && tokenText.Length > 0 && SyntaxFacts.IsIdentifierPartCharacter(tokenText[0]))
            {
                sb.Append(' ');
            }

            sb.Append(tokenText);
        }
    }
}
