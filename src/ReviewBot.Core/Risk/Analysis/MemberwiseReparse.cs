using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// A parse of a file under preprocessor symbols that parses again only the parts holding its conditional directives.
/// When every <c>#if</c> chain of the file (with its <c>#elif</c>, <c>#else</c> and <c>#endif</c>) lies either within one
/// member of a type or within the file's header (its <c>extern alias</c>, <c>using</c> and assembly attributes, up to
/// the first namespace, type or statement), and no <c>#define</c> or <c>#undef</c> changes the symbols part way, the
/// symbols decide nothing outside those parts: the lexer enters each of them with no branch open and the same symbols,
/// whatever it saw before. Each part is parsed again on its own, from its own text (leading trivia included), and put in
/// place of the first parse's; the rest of the tree is shared. The result is the tree a parse of the whole file would
/// give, provided each part parses, both times without errors, into the same kind of syntax over exactly its text (a
/// member into one member, the header into a header and no more); otherwise (a branch that adds or closes a member, an
/// <c>#if</c> in a type's header or between types) there is none, and the whole file is parsed. On
/// modelcontextprotocol/csharp-sdk most <c>#if</c> sit in method bodies or among the usings.
/// </summary>
internal static class MemberwiseReparse
{
    /// <summary>
    /// The file's root (parsed from <paramref name="source"/>) with the parts holding conditional directives parsed again
    /// under <paramref name="options"/>; null when that would not be the whole parse's tree (see the class).
    /// </summary>
    public static CompilationUnitSyntax? Of(CompilationUnitSyntax root, string source, CSharpParseOptions options, CancellationToken cancellationToken)
    {
        if (root.ContainsDiagnostics)
        {
            return null;
        }

        // The header ends where the first member's first token starts: directives before that token are the header's.
        var headerEnd = root.Members.Count > 0 ? root.Members[0].SpanStart : root.EndOfFileToken.SpanStart;
        var header = false;
        var owners = new List<MemberDeclarationSyntax>();
        var chains = new Stack<MemberDeclarationSyntax?>(); // the member each open chain lies in; null for the header
        foreach (var directive in ConditionalBranches.Directives(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (directive is DefineDirectiveTriviaSyntax or UndefDirectiveTriviaSyntax)
            {
                return null;
            }

            if (directive is not (IfDirectiveTriviaSyntax or ElifDirectiveTriviaSyntax or ElseDirectiveTriviaSyntax or EndIfDirectiveTriviaSyntax))
            {
                continue;
            }

            var inHeader = directive.SpanStart < headerEnd;
            var owner = inHeader ? null : OwnerOf(directive);
            if (!inHeader && owner is null)
            {
                return null;
            }

            if (directive is IfDirectiveTriviaSyntax)
            {
                chains.Push(owner);
                header |= inHeader;
                if (owner is not null && (owners.Count == 0 || owners[^1] != owner))
                {
                    owners.Add(owner);
                }
            }
            else if (chains.Count == 0 || chains.Peek() != owner)
            {
                return null;
            }
            else if (directive is EndIfDirectiveTriviaSyntax)
            {
                chains.Pop();
            }
        }

        if (chains.Count > 0)
        {
            return null;
        }

        var parsed = new Dictionary<SyntaxNode, SyntaxNode>(owners.Count);
        foreach (var owner in owners)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var again = SyntaxFactory.ParseMemberDeclaration(source.Substring(owner.FullSpan.Start, owner.FullSpan.Length), options: options, consumeFullText: true);
            if (again is null || again.GetType() != owner.GetType() || again.FullSpan.Length != owner.FullSpan.Length || again.ContainsDiagnostics)
            {
                return null;
            }

            parsed[owner] = again;
        }

        var result = root.ReplaceNodes(parsed.Keys, (original, _) => parsed[original]);
        return header ? WithHeader(result, source[..headerEnd], options) : result;
    }

    /// <summary>
    /// The root with its header (<paramref name="header"/>, the text before its first member) parsed again: its extern
    /// aliases, usings and attributes, and the leading trivia of the token that follows it.
    /// </summary>
    private static CompilationUnitSyntax? WithHeader(CompilationUnitSyntax root, string header, CSharpParseOptions options)
    {
        var again = SyntaxFactory.ParseCompilationUnit(header, options: options);
        if (again.ContainsDiagnostics || again.Members.Count > 0)
        {
            return null;
        }

        var result = root.WithExterns(again.Externs).WithUsings(again.Usings).WithAttributeLists(again.AttributeLists);
        var next = result.Members.Count > 0 ? result.Members[0].GetFirstToken() : result.EndOfFileToken;
        result = result.ReplaceToken(next, next.WithLeadingTrivia(again.EndOfFileToken.LeadingTrivia));
        return result.FullSpan.Length == root.FullSpan.Length ? result : null;
    }

    /// <summary>The member of a type whose text (leading trivia included) holds the directive; null for one outside such members.</summary>
    private static MemberDeclarationSyntax? OwnerOf(DirectiveTriviaSyntax directive)
    {
        for (var node = directive.ParentTrivia.Token.Parent; node is not null; node = node.Parent)
        {
            if (node is MemberDeclarationSyntax member and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax)
            {
                return member.Parent is TypeDeclarationSyntax ? member : null;
            }
        }

        return null;
    }
}
