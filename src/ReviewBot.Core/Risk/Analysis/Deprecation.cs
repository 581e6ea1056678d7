using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>API announced as going away or not yet stable: [Obsolete] or [Experimental] on it or a containing type.</summary>
internal static class Deprecation
{
    public static bool IsDeprecated(SyntaxNode declaration)
    {
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            var lists = node switch
            {
                MemberDeclarationSyntax m => m.AttributeLists,
                _ => default,
            };
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (SyntaxHelpers.AttributeName(attribute) is "Obsolete" or "Experimental")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
