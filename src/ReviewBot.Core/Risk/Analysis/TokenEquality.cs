using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Whether two pieces of syntax are the same code but for layout: the same tokens, and the same comments, directives
/// and inactive code between them, with whitespace and line breaks between tokens ignored. A literal compares by its
/// text, or by its value where only the text differs (a raw string re-indented with its closing quotes keeps its value);
/// comments and inactive code compare line by line without the indentation, so a file re-indented as a whole (a block
/// namespace made file-scoped) changes no member, while a space inside a string (<c>"rm -rf . /b"</c>) still does.
/// Needs the syntax trees (compared while they are alive, before the walk releases them).
/// </summary>
internal static class TokenEquality
{
    /// <param name="excludedChildren">Parent whose member children are left out (a type, whose members are compared on their own), or null.</param>
    public static bool Same(IReadOnlyList<SyntaxNode> mine, SyntaxNode? myExcluded, IReadOnlyList<SyntaxNode> theirs, SyntaxNode? theirExcluded)
    {
        using var a = Elements(mine, myExcluded).GetEnumerator();
        using var b = Elements(theirs, theirExcluded).GetEnumerator();
        while (true)
        {
            var hasA = a.MoveNext();
            if (hasA != b.MoveNext())
            {
                return false;
            }

            if (!hasA)
            {
                return true;
            }

            if (!Same(a.Current, b.Current))
            {
                return false;
            }
        }
    }

    /// <summary>One token or one piece of trivia that is not whitespace or a line break.</summary>
    private readonly record struct Element(SyntaxToken Token, SyntaxTrivia Trivia, bool IsTrivia);

    private static IEnumerable<Element> Elements(IReadOnlyList<SyntaxNode> roots, SyntaxNode? excluded)
    {
        foreach (var root in roots)
        {
            var tokens = excluded is null
                ? root.DescendantTokens()
                : root.DescendantTokens(n => n == excluded || n.Parent != excluded || !IsMemberPart(n));
            foreach (var token in tokens)
            {
                // Loops inline, not a nested iterator per token: only members whose text differs come here, but all their tokens do.
                if (token.HasLeadingTrivia)
                {
                    foreach (var trivia in token.LeadingTrivia)
                    {
                        if (!IsLayout(trivia))
                        {
                            yield return new Element(default, trivia, IsTrivia: true);
                        }
                    }
                }

                yield return new Element(token, default, IsTrivia: false);
                if (token.HasTrailingTrivia)
                {
                    foreach (var trivia in token.TrailingTrivia)
                    {
                        if (!IsLayout(trivia))
                        {
                            yield return new Element(default, trivia, IsTrivia: true);
                        }
                    }
                }
            }
        }
    }

    /// <summary>A member of a type or an enum value: compared on its own, not as part of its type.</summary>
    private static bool IsMemberPart(SyntaxNode node) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax;

    private static bool IsLayout(SyntaxTrivia trivia) => trivia.IsKind(SyntaxKind.WhitespaceTrivia) || trivia.IsKind(SyntaxKind.EndOfLineTrivia);

    private static bool Same(Element a, Element b)
    {
        if (a.IsTrivia != b.IsTrivia)
        {
            return false;
        }

        if (!a.IsTrivia)
        {
            return a.Token.RawKind == b.Token.RawKind
                && (a.Token.Text == b.Token.Text || (IsLiteral(a.Token) && a.Token.ValueText == b.Token.ValueText));
        }

        if (a.Trivia.RawKind != b.Trivia.RawKind)
        {
            return false;
        }

        // Directives, skipped tokens and documentation comments have structure: their own tokens compare as above.
        if (a.Trivia.GetStructure() is { } structureA)
        {
            return b.Trivia.GetStructure() is { } structureB && Same([structureA], null, [structureB], null);
        }

        return SameLines(a.Trivia.ToString(), b.Trivia.ToString());
    }

    private static bool IsLiteral(SyntaxToken token)
        => token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
            || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
            || token.IsKind(SyntaxKind.Utf8StringLiteralToken) || token.IsKind(SyntaxKind.Utf8MultiLineRawStringLiteralToken)
            || token.IsKind(SyntaxKind.Utf8SingleLineRawStringLiteralToken);

    /// <summary>The same lines but for the whitespace around each (a comment or inactive code re-indented).</summary>
    private static bool SameLines(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        var linesA = a.Split('\n');
        var linesB = b.Split('\n');
        return linesA.Length == linesB.Length && linesA.Zip(linesB).All(pair => pair.First.AsSpan().Trim().SequenceEqual(pair.Second.AsSpan().Trim()));
    }
}
