using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1008: outgoing requests to a URL taken from outside (server-side request forgery).</summary>
public sealed class ServerSideRequestForgeryRule : ISyntaxRule
{
    private static readonly HashSet<string> ClientCalls =
    [
        "GetAsync", "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "PostAsync", "PutAsync", "DeleteAsync", "PatchAsync",
        "GetFromJsonAsync", "PostAsJsonAsync", "PutAsJsonAsync", "DownloadString", "DownloadStringTaskAsync", "DownloadData", "DownloadFile",
        "OpenRead", "UploadString", "UploadData",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "RB1008", RiskCategories.Web, Severity.High, "Outgoing request to a URL from request data",
        "HttpClient.GetAsync/PostAsync/…, WebClient.DownloadString/OpenRead, WebRequest.Create or new HttpRequestMessage with a URL from request data, the console, files, sockets or databases lets the caller make the server reach internal addresses (cloud metadata endpoints, admin ports) on its behalf. Check the scheme and host against an allow-list. Constant or checked URLs are no finding; URLs of unknown origin are not reported (clients take base addresses from configuration).")
    {
        Cwes = [918],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. ClientCalls, "Create", "CreateHttp", "HttpRequestMessage"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (what, url) = node switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call when SyntaxHelpers.SimpleName(access) is { } name
                && (ClientCalls.Contains(name) || (name is "Create" or "CreateHttp" && SyntaxHelpers.SimpleName(access.Expression) is "WebRequest" or "HttpWebRequest"))
                => (SyntaxHelpers.Normalize(access), FirstUrl(call.ArgumentList)),
            ObjectCreationExpressionSyntax creation when SyntaxHelpers.CreatedType(creation) == "HttpRequestMessage"
                => ("new HttpRequestMessage", SyntaxHelpers.Arg(creation.ArgumentList, 1)),
            _ => ("", null),
        };
        if (url is not null)
        {
            FlowSink.Report(this, context, node, what, "the server requests an address the attacker chose", reportUnknown: false, url);
        }
    }

    /// <summary>The URL argument: the first one, unless it is a request message (then its own creation is the sink).</summary>
    private static ExpressionSyntax? FirstUrl(ArgumentListSyntax args)
        => SyntaxHelpers.Arg(args, 0) is { } first && first is not ObjectCreationExpressionSyntax ? first : null;
}
