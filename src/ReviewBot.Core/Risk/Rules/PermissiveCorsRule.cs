using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1004: CORS opened to any origin.</summary>
public sealed class PermissiveCorsRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB1004", RiskCategories.Web, Severity.Medium, "Permissive CORS policy",
        "AllowAnyOrigin(), WithOrigins(\"*\"), SetIsOriginAllowed(_ => true) or an Access-Control-Allow-Origin: * header lets any web site read responses from the API in the user's browser.")
    {
        Cwes = [942],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    /// <summary>
    /// The calls by name, and a literal "*" however it is written: <c>"*"</c>, <c>@"*"</c>, a one-line raw string, a character
    /// literal, a raw string over several lines (<c>"""</c>); escapes (<c>"\x2A"</c>, <c>"\u002A"</c>) make the walk visit
    /// every node of the member.
    /// </summary>
    public IReadOnlyList<string> Triggers { get; } = ["AllowAnyOrigin", "WithOrigins", "SetIsOriginAllowed", "\"*\"", "'*'", "\"\"\""];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var invocation = (InvocationExpressionSyntax)node;
        var name = SyntaxHelpers.SimpleName(invocation.Expression);
        var args = invocation.ArgumentList.Arguments;
        var message = name switch
        {
            "AllowAnyOrigin" => "AllowAnyOrigin() added: any site may call the API from a browser",
            "WithOrigins" when AnyStar(args) => "WithOrigins(\"*\") added: any site may call the API from a browser",
            "SetIsOriginAllowed" when SyntaxHelpers.AlwaysReturnsTrue(SyntaxHelpers.Arg(invocation.ArgumentList, 0)) =>
                "SetIsOriginAllowed(_ => true) added: every origin is accepted (with credentials, too)",
            _ when args.Count >= 2 && AnyAllowOriginHeader(args) && AnyStar(args) => "Access-Control-Allow-Origin: * header added",
            _ => null,
        };
        if (message is not null)
        {
            context.Report(this, invocation, message);
        }
    }

    // Loops rather than LINQ: the rule sees every call with a "*" in it.
    private static bool AnyStar(SeparatedSyntaxList<ArgumentSyntax> args)
    {
        foreach (var arg in args)
        {
            if (arg.Expression is LiteralExpressionSyntax { Token.ValueText: "*" })
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyAllowOriginHeader(SeparatedSyntaxList<ArgumentSyntax> args)
    {
        foreach (var arg in args)
        {
            if (arg.Expression is LiteralExpressionSyntax literal && literal.Token.ValueText.Equals("Access-Control-Allow-Origin", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
