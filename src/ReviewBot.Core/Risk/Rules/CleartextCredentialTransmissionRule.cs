using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2008: a password or other secret written to a plain network stream (no TLS), or a password stored in a cookie as it is.</summary>
public sealed partial class CleartextCredentialTransmissionRule : ISyntaxRule
{
    private static readonly HashSet<string> Writes = ["Write", "WriteLine", "WriteAsync", "WriteLineAsync", "Send", "SendAsync", "SendTo"];

    /// <summary>The CWE ids of a finding on a network write, and on a cookie.</summary>
    private static readonly IReadOnlyList<int> Network = [319, 523], Cookie = [315];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2008", RiskCategories.Secrets, Severity.High, "Credential sent in cleartext",
        "A password, token or other secret (a value named like one, or derived from one) written to a socket, to a TcpClient's NetworkStream or to a writer over one, without an SslStream in between, travels unencrypted: anyone on the network path reads it. Wrap the stream in SslStream (and authenticate the server), or use an HTTPS/TLS client. A password (a value named like one, or made from one, not passed through a hash) put in a cookie (new HttpCookie/Cookie, Cookies.Append) is stored in the browser and sent with every request in cleartext: keep a session id or a hash in the cookie instead. Test code is not checked: what it sends goes to test servers.")
    {
        Cwes = [319, 523, 315],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Writes, "Cookie", "Append"];

    public bool InspectsTestCode => false;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (CookieValue(node) is { } found)
        {
            var (cookie, stored) = found;
            var cookieFlow = context.FlowAt(node);
            if (SecretNamed(stored, cookieFlow, PasswordWord()) is { } password && !Hashed(stored, cookieFlow) && cookieFlow.IsReachable(node))
            {
                context.Report(this, node, $"{cookie} stores '{password}' in a cookie as it is: the password sits in the browser and travels with every request", cwes: Cookie);
            }

            return;
        }

        var call = node as InvocationExpressionSyntax;
        if (call?.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access || !Writes.Contains(name))
        {
            return;
        }

        // The flow is asked only when a local has to be followed (most writes go to a receiver that is no socket on its
        // face), and then only for the local's definition: the member's locals are indexed, its statements not walked.
        if (!IsPlainNetwork(access.Expression, () => context.FlowAt(node), 0))
        {
            return;
        }

        var flow = context.FlowAt(node);
        if (!flow.IsReachable(node))
        {
            return;
        }

        foreach (var arg in call.ArgumentList.Arguments)
        {
            if (SecretNamed(arg.Expression, flow, SecretWord()) is { } secret)
            {
                context.Report(this, node, $"{SyntaxHelpers.Normalize(access)} sends '{secret}' over a network stream without TLS: the secret travels in cleartext", cwes: Network);
                return;
            }
        }
    }

    /// <summary>The cookie sink and the value it stores: <c>new HttpCookie(name, value)</c>, <c>new Cookie(name, value)</c>, <c>x.Cookies.Append(name, value)</c>.</summary>
    private static (string Sink, ExpressionSyntax Value)? CookieValue(SyntaxNode node)
    {
        switch (node)
        {
            case ObjectCreationExpressionSyntax creation when SyntaxHelpers.CreatedType(creation) is "HttpCookie" or "Cookie"
                && SyntaxHelpers.Arg(creation.ArgumentList, 1) is { } value:
                return ("new " + SyntaxHelpers.CreatedType(creation), value);
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Append", Expression: var cookies } } call
                when SyntaxHelpers.SimpleName(cookies) == "Cookies" && SyntaxHelpers.Arg(call.ArgumentList, 1) is { } appended:
                return ("Cookies.Append", appended);
            default:
                return null;
        }
    }

    /// <summary>The value, or a local it was made from (one definition back), went through a hash or an encryption.</summary>
    private static bool Hashed(ExpressionSyntax data, MemberFlow flow)
    {
        foreach (var id in data.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16))
        {
            if (HashWord().IsMatch(id.Identifier.ValueText) || flow.Definitions(id).Any(v => v.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16).Any(i => HashWord().IsMatch(i.Identifier.ValueText))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A socket, <c>x.GetStream()</c>, or a local writer/stream made over one (not an SslStream).</summary>
    private static bool IsPlainNetwork(ExpressionSyntax stream, Func<MemberFlow> flow, int depth)
    {
        if (depth > 4)
        {
            return false;
        }

        switch (stream)
        {
            case InvocationExpressionSyntax call:
                return SyntaxHelpers.SimpleName(call.Expression) == "GetStream";
            case ObjectCreationExpressionSyntax creation:
                var type = SyntaxHelpers.CreatedType(creation) ?? "";
                return type == "NetworkStream"
                    || (type is "StreamWriter" or "BinaryWriter" && SyntaxHelpers.Arg(creation.ArgumentList, 0) is { } inner && IsPlainNetwork(inner, flow, depth + 1));
            case IdentifierNameSyntax local:
                var name = local.Identifier.ValueText;
                return flow().SingleDefinition(local) is { } value
                    ? IsPlainNetwork(value, flow, depth + 1)
                    : name.Contains("socket", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>The local or member named like <paramref name="word"/> the data is (or was made from, through one definition).</summary>
    private static string? SecretNamed(ExpressionSyntax data, MemberFlow flow, Regex word)
    {
        foreach (var id in data.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16))
        {
            if (word.IsMatch(id.Identifier.ValueText))
            {
                return id.Identifier.ValueText;
            }

            foreach (var value in flow.Definitions(id))
            {
                if (SecretNamedOnce(value, word) is { } source)
                {
                    return source;
                }
            }
        }

        return null;
    }

    private static string? SecretNamedOnce(ExpressionSyntax value, Regex word)
        => value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16).Select(i => i.Identifier.ValueText).FirstOrDefault(word.IsMatch);

    [GeneratedRegex(@"(passw|pwd|passphrase|secret|token|credential|apikey|api_key|privatekey)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretWord();

    /// <summary>Names of a password (not a token or key: those are what session cookies rightly hold), and not of its hash.</summary>
    [GeneratedRegex(@"^(?!.*(hash|salt|encrypt|protect|cipher)).*(passw|pwd|passphrase)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex PasswordWord();

    /// <summary>Calls and names of a hash or an encryption of a value.</summary>
    [GeneratedRegex(@"(hash|encrypt|protect|hmac|pbkdf2|bcrypt|scrypt|argon)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex HashWord();
}
