using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1007: redirects to a URL taken from outside (open redirect).</summary>
public sealed class OpenRedirectRule : ISyntaxRule
{
    private static readonly HashSet<string> Redirects = ["Redirect", "RedirectPermanent", "RedirectPreserveMethod", "RedirectPermanentPreserveMethod"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB1007", RiskCategories.Web, Severity.High, "Redirect to a URL from request data",
        "Response.Redirect(url), a controller's Redirect(url)/RedirectPermanent(url), new RedirectResult(url) or Results.Redirect(url) with a URL from request data, the console, files, sockets or databases sends users wherever the attacker chose (phishing with your domain in the link). Use LocalRedirect/Url.IsLocalUrl, or check the host against an allow-list. Constant or checked URLs are no finding; URLs of unknown origin are not reported (redirects to configured addresses are common).")
    {
        Cwes = [601],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Redirects, "RedirectResult"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (what, url) = node switch
        {
            InvocationExpressionSyntax call when SyntaxHelpers.SimpleName(call.Expression) is { } name && Redirects.Contains(name)
                => (SyntaxHelpers.Normalize(call.Expression), SyntaxHelpers.Arg(call.ArgumentList, 0)),
            ObjectCreationExpressionSyntax creation when SyntaxHelpers.CreatedType(creation) == "RedirectResult"
                => ("new RedirectResult", SyntaxHelpers.Arg(creation.ArgumentList, 0)),
            _ => ("", null),
        };
        if (url is not null)
        {
            FlowSink.Report(this, context, node, what, "users are sent to a site the attacker chose", reportUnknown: false, url);
        }
    }
}
