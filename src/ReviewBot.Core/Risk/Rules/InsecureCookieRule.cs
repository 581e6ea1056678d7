using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1006: a cookie added to the response without the Secure flag.</summary>
public sealed partial class InsecureCookieRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB1006", RiskCategories.Web, Severity.Medium, "Cookie set without the Secure flag",
        "A cookie that carries a session, an identity or a secret (its name speaks of session, auth, token, identity, login, password, secret, key or JWT) added to the response (Response.Cookies.Add/Set/Append, AppendCookie) whose cookie or CookieOptions is never given Secure = true in the same member is also sent over plain HTTP, where anyone on the network reads it (session ids, tokens). Set Secure = true (and HttpOnly, SameSite), or configure CookiePolicyOptions.Secure = CookieSecurePolicy.Always. A cookie whose Secure flag is set elsewhere (a policy, a helper) is reported too: say so in the review.")
    {
        Cwes = [614],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Cookies", "AppendCookie", "SetCookie"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var call = (InvocationExpressionSyntax)node;
        if (call.Expression is not MemberAccessExpressionSyntax access)
        {
            return;
        }

        var name = access.Name.Identifier.ValueText;
        var args = call.ArgumentList.Arguments;
        ExpressionSyntax? cookie;
        if (name is "AppendCookie" or "SetCookie" && FlowSink.IsResponse(access.Expression))
        {
            cookie = SyntaxHelpers.Arg(call.ArgumentList, 0);
        }
        else if (access.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Cookies" } cookies && FlowSink.IsResponse(cookies.Expression))
        {
            // Cookies.Add(cookie) / Set(cookie) carry the cookie; Append(name, value[, options]) carries its options.
            cookie = name switch
            {
                "Add" or "Set" => SyntaxHelpers.Arg(call.ArgumentList, 0),
                "Append" when args.Count >= 3 => args[2].Expression,
                "Append" => null,
                _ => args.Count == 0 ? null : args[0].Expression,
            };
            if (name is not ("Add" or "Set" or "Append"))
            {
                return;
            }
        }
        else
        {
            return;
        }

        var owner = MemberFlow.OwnerOf(node);
        var scope = cookie is null ? owner : ScopeOf(cookie, owner);
        var cookieName = name == "Append" ? SyntaxHelpers.Arg(call.ArgumentList, 0) : CookieName(cookie, scope);
        if (cookieName is not LiteralExpressionSyntax literal || !SensitiveName().IsMatch(literal.Token.ValueText)
            || !context.FlowAt(node).IsReachable(node) || (cookie is not null && SetsSecure(cookie, scope)))
        {
            return;
        }

        context.Report(this, node, $"{SyntaxHelpers.Normalize(access)} adds a cookie that is never made Secure here: it also travels over plain HTTP");
    }

    /// <summary>The block that declares the cookie's local (two cookies of one name in sibling blocks are two cookies); the member otherwise.</summary>
    private static SyntaxNode ScopeOf(ExpressionSyntax cookie, SyntaxNode owner)
    {
        if (cookie is not IdentifierNameSyntax id)
        {
            return owner;
        }

        for (var node = cookie.Parent; node is not null && node != owner; node = node.Parent)
        {
            if (node is BlockSyntax block && block.Statements.OfType<LocalDeclarationStatementSyntax>()
                    .Any(d => d.Declaration.Variables.Any(v => v.Identifier.ValueText == id.Identifier.ValueText)))
            {
                return block;
            }
        }

        return owner;
    }

    /// <summary>The name a cookie is created with: <c>new HttpCookie(name, …)</c>, <c>new Cookie { Name = … }</c>, here or in its local's initializer.</summary>
    private static ExpressionSyntax? CookieName(ExpressionSyntax? cookie, SyntaxNode owner)
    {
        if (cookie is IdentifierNameSyntax id)
        {
            cookie = owner.DescendantNodes().OfType<VariableDeclaratorSyntax>().FirstOrDefault(v => v.Identifier.ValueText == id.Identifier.ValueText)?.Initializer?.Value;
        }

        return cookie is BaseObjectCreationExpressionSyntax creation
            ? SyntaxHelpers.Arg(creation.ArgumentList, 0)
                ?? creation.Initializer?.Expressions.OfType<AssignmentExpressionSyntax>().FirstOrDefault(a => SyntaxHelpers.AssignedName(a) == "Name")?.Right
            : null;
    }

    [GeneratedRegex(@"(sess|auth|token|ident|login|logon|passw|secret|key|jwt|sid|remember|user|account|credential|message)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SensitiveName();

    /// <summary>
    /// The names made Secure in each scope, found in one pass over the scope the first time a cookie of it is judged
    /// (a member adding thousands of cookies is walked once, not once per cookie). Keyed by the scope node, so the
    /// table lives as long as the tree and concurrent analyses never share an entry.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxNode, HashSet<string>> SecuredNames = [];

    /// <summary>The cookie (or options) is created with <c>Secure = true</c>, or a <c>x.Secure = true</c> for its variable is in the scope.</summary>
    private static bool SetsSecure(ExpressionSyntax cookie, SyntaxNode scope)
    {
        if (cookie is BaseObjectCreationExpressionSyntax { Initializer: { } init })
        {
            return init.Expressions.Any(IsSecureTrue);
        }

        return cookie is IdentifierNameSyntax variable
            && SecuredNames.GetValue(scope, Secured).Contains(variable.Identifier.ValueText);
    }

    private static HashSet<string> Secured(SyntaxNode scope)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } } assignment
                    when IsSecureTrue(assignment):
                    names.Add(target.Identifier.ValueText);
                    break;
                case VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax { Initializer: { } created } } declarator
                    when created.Expressions.Any(IsSecureTrue):
                    names.Add(declarator.Identifier.ValueText);
                    break;
            }
        }

        return names;
    }

    private static bool IsSecureTrue(ExpressionSyntax expression)
        => expression is AssignmentExpressionSyntax assignment && SyntaxHelpers.AssignedName(assignment) == "Secure"
            && (SyntaxHelpers.IsTrue(assignment.Right) || SyntaxHelpers.SimpleName(assignment.Right) == "Always");
}
