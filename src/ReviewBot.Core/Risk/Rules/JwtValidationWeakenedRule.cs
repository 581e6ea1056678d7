using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1005: token validation switched off (ValidateX = false, validators that accept anything).</summary>
public sealed class JwtValidationWeakenedRule : ISyntaxRule
{
    private static readonly HashSet<string> Flags =
    [
        "ValidateIssuer", "ValidateAudience", "ValidateLifetime", "ValidateIssuerSigningKey", "RequireSignedTokens",
        "RequireExpirationTime", "RequireHttpsMetadata", "RequireAudience", "ValidateTokenReplay",
    ];

    private static readonly HashSet<string> Validators =
        ["SignatureValidator", "IssuerValidator", "LifetimeValidator", "AudienceValidator", "IssuerSigningKeyValidator", "TokenReplayValidator"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB1005", RiskCategories.Authorization, Severity.Critical, "Token validation weakened",
        "TokenValidationParameters/JwtBearerOptions with ValidateIssuer, ValidateAudience, ValidateLifetime, ValidateIssuerSigningKey, RequireSignedTokens, RequireExpirationTime or RequireHttpsMetadata set to false, or a validator delegate that accepts every token: forged or expired tokens are accepted.")
    {
        Cwes = [347, 287],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleAssignmentExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Flags, .. Validators];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var assignment = (AssignmentExpressionSyntax)node;
        var name = SyntaxHelpers.AssignedName(assignment);
        if (name is null)
        {
            return;
        }

        if (Flags.Contains(name) && SyntaxHelpers.IsFalse(assignment.Right))
        {
            context.Report(this, assignment, $"{name} = false added: tokens are accepted without this check");
        }
        else if (Validators.Contains(name) && AcceptsAnything(assignment.Right))
        {
            context.Report(this, assignment, $"{name} replaced by a delegate that accepts every token");
        }
    }

    private static bool AcceptsAnything(ExpressionSyntax value)
    {
        if (SyntaxHelpers.AlwaysReturnsTrue(value))
        {
            return true;
        }

        // (token, parameters) => new JwtSecurityToken(token)  /  (issuer, token, p) => issuer
        return value is LambdaExpressionSyntax { ExpressionBody: { } body }
            && (body is ObjectCreationExpressionSyntax o && (SyntaxHelpers.SimpleName(o.Type)?.EndsWith("Token", StringComparison.Ordinal) ?? false)
                || body is IdentifierNameSyntax);
    }
}
