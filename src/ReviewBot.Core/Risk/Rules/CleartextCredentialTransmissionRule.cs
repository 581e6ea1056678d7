using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2008: a password or other secret written to a plain network stream (no TLS).</summary>
public sealed partial class CleartextCredentialTransmissionRule : ISyntaxRule
{
    private static readonly HashSet<string> Writes = ["Write", "WriteLine", "WriteAsync", "WriteLineAsync", "Send", "SendAsync", "SendTo"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2008", RiskCategories.Secrets, Severity.High, "Credential sent in cleartext",
        "A password, token or other secret (a value named like one, or derived from one) written to a socket, to a TcpClient's NetworkStream or to a writer over one, without an SslStream in between, travels unencrypted: anyone on the network path reads it. Wrap the stream in SslStream (and authenticate the server), or use an HTTPS/TLS client.")
    {
        Cwes = [319, 523],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Writes];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var call = (InvocationExpressionSyntax)node;
        if (call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access || !Writes.Contains(name))
        {
            return;
        }

        var flow = context.FlowAt(node);
        if (!IsPlainNetwork(access.Expression, flow, 0) || !flow.IsReachable(node))
        {
            return;
        }

        foreach (var arg in call.ArgumentList.Arguments)
        {
            if (SecretNamed(arg.Expression, flow) is { } secret)
            {
                context.Report(this, node, $"{SyntaxHelpers.Normalize(access)} sends '{secret}' over a network stream without TLS: the secret travels in cleartext");
                return;
            }
        }
    }

    /// <summary>A socket, <c>x.GetStream()</c>, or a local writer/stream made over one (not an SslStream).</summary>
    private static bool IsPlainNetwork(ExpressionSyntax stream, MemberFlow flow, int depth)
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
                return flow.SingleDefinition(local) is { } value
                    ? IsPlainNetwork(value, flow, depth + 1)
                    : name.Contains("socket", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>The secret-named local or member the data is (or was made from, through one definition).</summary>
    private static string? SecretNamed(ExpressionSyntax data, MemberFlow flow)
    {
        foreach (var id in data.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16))
        {
            if (SecretWord().IsMatch(id.Identifier.ValueText))
            {
                return id.Identifier.ValueText;
            }

            foreach (var value in flow.Definitions(id))
            {
                if (SecretNamedOnce(value) is { } source)
                {
                    return source;
                }
            }
        }

        return null;
    }

    private static string? SecretNamedOnce(ExpressionSyntax value)
        => value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16).Select(i => i.Identifier.ValueText).FirstOrDefault(n => SecretWord().IsMatch(n));

    [GeneratedRegex(@"(passw|pwd|passphrase|secret|token|credential|apikey|api_key|privatekey)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretWord();
}
