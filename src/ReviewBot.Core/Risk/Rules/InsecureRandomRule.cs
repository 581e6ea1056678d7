using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2005: System.Random (or Guid.NewGuid) producing a secret.</summary>
public sealed partial class InsecureRandomRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB2005", RiskCategories.Crypto, Severity.Medium, "Non-cryptographic RNG for a secret",
        "System.Random is predictable: tokens, passwords, salts, keys, nonces or codes made from it can be guessed. Use RandomNumberGenerator.")
    {
        Cwes = [338, 330],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.ObjectCreationExpression, SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Random", "NewGuid"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var what = node switch
        {
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "Random" => "new Random()",
            MemberAccessExpressionSyntax m when SyntaxHelpers.SimpleName(m.Expression) == "Random" && m.Name.Identifier.ValueText == "Shared" => "Random.Shared",
            InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ("NewGuid", "Guid") => "Guid.NewGuid()",
            _ => null,
        };
        if (what is null)
        {
            return;
        }

        // The statement (or field) it sits in, or the member's name, must speak of a secret.
        SyntaxNode scope = node.FirstAncestorOrSelf<StatementSyntax>() ?? (SyntaxNode?)node.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? node;
        if (scope is BlockSyntax)
        {
            scope = node;
        }

        var text = scope.ToString();
        if (text.Length > 400)
        {
            text = text[..400];
        }

        // "cancellationToken" is not a secret: drop it before looking for secret words.
        text = CancellationWords().Replace(text, "");
        if (SecretWords().IsMatch(text) || SecretWords().IsMatch(CancellationWords().Replace(context.Member.DisplayName, "")))
        {
            context.Report(this, node, $"{what} used for a security value (token, password, key, salt, nonce or code): predictable");
        }
    }

    [GeneratedRegex(@"(token|passw|secret|salt|nonce|\botp|apikey|api_key|sessionid|session_id|privatekey|signingkey|secretkey|\biv\b|resetcode|verificationcode|\bpin\b)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretWords();

    [GeneratedRegex(@"cancellation_?token(source)?", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex CancellationWords();
}
