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

        // What the value is stored in (an assignment, a variable, a named argument) must speak of a secret; without such a
        // target, the statement (or field) it sits in, or the member's name. `Id = Guid.NewGuid()` next to
        // `ResetPasswordKey = null` in the same initializer is an id, not a secret.
        var target = Target(node);
        SyntaxNode scope = target ?? node.FirstAncestorOrSelf<StatementSyntax>() ?? (SyntaxNode?)node.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? node;
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
        if (SecretWords().IsMatch(text) || (target is null && SecretWords().IsMatch(CancellationWords().Replace(context.Member.DisplayName, ""))))
        {
            context.Report(this, node, $"{what} used for a security value (token, password, key, salt, nonce or code): predictable");
        }
    }

    /// <summary>The nearest assignment, variable declarator or named argument the value flows into, within its statement.</summary>
    private static SyntaxNode? Target(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null and not StatementSyntax and not MemberDeclarationSyntax; current = current.Parent)
        {
            switch (current)
            {
                case AssignmentExpressionSyntax a:
                    return a.Left;
                case VariableDeclaratorSyntax v:
                    return v.Identifier.Parent;
                case ArgumentSyntax { NameColon: { } name }:
                    return name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"(token|passw|secret|salt|nonce|\botp|apikey|api_key|sessionid|session_id|privatekey|signingkey|secretkey|\biv\b|resetcode|verificationcode|\bpin\b)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretWords();

    [GeneratedRegex(@"cancellation_?token(source)?", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex CancellationWords();
}
