using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2006: secrets written into source: password-like names given literals, connection strings with passwords, private keys.</summary>
public sealed partial class HardCodedCredentialRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB2006", RiskCategories.Secrets, Severity.High, "Hard-coded credential",
        "A password, secret, API key, token, private key or connection-string password written into source is readable by everyone with the repository (and its history, forever). Load it from configuration or a secret store. Besides literals given to secret-named variables, the flow pass follows literals through locals into credential sinks: the password of new NetworkCredential, a connection string with Password=, a crypto key (CreateEncryptor/CreateDecryptor, .Key, HMAC, Rfc2898DeriveBytes, SymmetricSecurityKey) and secret-named properties. A password read as it is from a plain file (File.ReadAllText/ReadAllBytes/ReadAllLines) into the password of new NetworkCredential or a connection string is reported (medium) with CWE-256 instead: the password is stored unprotected on disk (files under a 'secrets' folder, where Docker and Kubernetes mount secrets, excepted). Test code is not checked.")
    {
        Cwes = [798, 259, 321, 256],
    };

    /// <summary>The CWE ids of a secret written into source, and of a password read from a plain file.</summary>
    private static readonly IReadOnlyList<int> HardCoded = [798, 259, 321], PlainFile = [256];

    /// <summary>Types whose constructor takes a connection string first.</summary>
    private static readonly HashSet<string> Connections =
    [
        "SqlConnection", "SqlConnectionStringBuilder", "NpgsqlConnection", "MySqlConnection", "OracleConnection", "SqliteConnection",
        "SQLiteConnection", "OleDbConnection", "OdbcConnection", "DbConnectionStringBuilder",
    ];

    /// <summary>Types whose constructor takes a key or password first.</summary>
    private static readonly HashSet<string> KeyTypes =
    [
        "HMACSHA256", "HMACSHA384", "HMACSHA512", "HMACSHA1", "HMACMD5", "Rfc2898DeriveBytes", "PasswordDeriveBytes", "SymmetricSecurityKey",
    ];

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
        [SyntaxKind.StringLiteralExpression, SyntaxKind.ObjectCreationExpression, SyntaxKind.InvocationExpression, SyntaxKind.SimpleAssignmentExpression];

    public IReadOnlyList<string> Triggers { get; } = ["\"", "NetworkCredential", .. Connections, .. KeyTypes, "CreateEncryptor", "CreateDecryptor", "Key", "ConnectionString"];

    public bool JudgesSinksByFlow => true;

    public bool InspectsTestCode => false;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (context.IsTestFile)
        {
            return;
        }

        if (node is not LiteralExpressionSyntax)
        {
            InspectSink(node, context);
            return;
        }

        var literal = (LiteralExpressionSyntax)node;
        if (Joined(literal) is not { } parts)
        {
            return; // a later part of a constant concatenation: its first literal speaks for the whole
        }

        var (value, subject) = parts;

        if (value.Contains(PemMarker, StringComparison.Ordinal) && PemPrivateKey().IsMatch(value))
        {
            context.Report(this, literal, "private key literal added", cwes: HardCoded);
            return;
        }

        if (value.Contains('=', StringComparison.Ordinal) && ConnectionPassword().IsMatch(value))
        {
            context.Report(this, literal, "connection string with a literal password added", cwes: HardCoded);
            return;
        }

        var target = TargetName(subject);
        if (target is not null && LooksLikeSecretValue(value) && SecretName().IsMatch(target) && !NotSecretName().IsMatch(target)
            && !Simplified(value).Contains(Simplified(target), StringComparison.Ordinal))
        {
            context.Report(this, literal, $"literal assigned to '{target}': a hard-coded secret", cwes: HardCoded);
        }
    }

    /// <summary>
    /// The value of the constant concatenation the literal starts (<c>"hun" + "ter2"</c>: a secret split across literals is
    /// still one secret) and the outermost expression of it; the literal alone when it is not the first part of one; null
    /// when it is a later part.
    /// </summary>
    private static (string Value, ExpressionSyntax Subject)? Joined(LiteralExpressionSyntax literal)
    {
        ExpressionSyntax top = literal;
        for (var depth = 0; depth < 8 && top.Parent is BinaryExpressionSyntax b && b.IsKind(SyntaxKind.AddExpression); depth++)
        {
            top = b;
        }

        if (top == literal || ReflectedApi.ConstantString(top, 0) is not { } joined)
        {
            return (literal.Token.ValueText, literal);
        }

        var first = top;
        while (first is BinaryExpressionSyntax left)
        {
            first = left.Left;
        }

        return first == literal ? (joined, top) : null;
    }

    /// <summary>A credential sink given a literal through locals (a literal right at the sink is the literal check's).</summary>
    private void InspectSink(SyntaxNode node, SyntaxContext context)
    {
        var (secret, what) = node switch
        {
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "NetworkCredential" => (SyntaxHelpers.Arg(o.ArgumentList, 1), "the password of new NetworkCredential"),
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is { } t && Connections.Contains(t) => (SyntaxHelpers.Arg(o.ArgumentList, 0), "the connection string of new " + t),
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is { } t && KeyTypes.Contains(t) => (SyntaxHelpers.Arg(o.ArgumentList, 0), "the key of new " + t),
            InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) is "CreateEncryptor" or "CreateDecryptor"
                => (SyntaxHelpers.Arg(i.ArgumentList, 0), "the key of " + SyntaxHelpers.SimpleName(i.Expression)),
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) is "Key" or "ConnectionString" => (a.Right, SyntaxHelpers.AssignedName(a)),
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) is { } target && SecretName().IsMatch(target) && !NotSecretName().IsMatch(target) => (a.Right, target),
            _ => (null, ""),
        };
        if (secret is null or LiteralExpressionSyntax)
        {
            return;
        }

        var isConnection = what is not null && (what.Contains("connection", StringComparison.OrdinalIgnoreCase) || what == "ConnectionString");
        if (isConnection && !ConnectionPasswordKey().IsMatch(secret.ToString()))
        {
            return;
        }

        // Through locals: a local in the secret holds a literal (and nothing of the rest of the secret comes from outside).
        var reaching = Flow.FlowSink.Reaching(context, node, [secret]);
        if (reaching is { Origin: Flow.Origin.Tainted } read && (isConnection || what == "the password of new NetworkCredential") && IsPlainFileRead(read.From))
        {
            context.ReportFlow(this, node, read, Flow.FlowSink.Describe(read, node, what!, "the password is kept unprotected in a plain file and used as it is (decrypt it, or use a secret store)"),
                severity: Severity.Medium, cwes: PlainFile);
            return;
        }

        if (reaching is not { Origin: Flow.Origin.Constant })
        {
            return;
        }

        var flow = context.FlowAt(node);
        foreach (var local in secret.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16))
        {
            if (local.Parent is not MemberAccessExpressionSyntax { Name: var n } || n != local)
            {
                if (flow.ValueAt(local) is { IsLiteral: true } value)
                {
                    context.Report(this, node, $"{value.From} (line {value.FromLine}) reaches {what} through '{local.Identifier.ValueText}': a hard-coded secret", cwes: HardCoded);
                    return;
                }
            }
        }
    }

    /// <summary>A whole-file read (<c>File.ReadAllText(path)</c> and the like), not of a secrets mount.</summary>
    private static bool IsPlainFileRead(string source)
        => source.StartsWith("File.ReadAll", StringComparison.Ordinal) && !source.Contains("secret", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name the value is given to: variable, field, property, named argument, assignment target, comparison partner.</summary>
    private static string? TargetName(ExpressionSyntax literal)
    {
        var parent = literal.Parent;
        return parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } => v.Identifier.ValueText,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax p } => p.Identifier.ValueText,
            EqualsValueClauseSyntax { Parent: ParameterSyntax p } => p.Identifier.ValueText,
            AssignmentExpressionSyntax a when a.Right == literal => SyntaxHelpers.SimpleName(a.Left)
                ?? (a.Left as ImplicitElementAccessSyntax)?.ArgumentList.Arguments.FirstOrDefault()?.Expression.ToString(),
            ArgumentSyntax { NameColon: { } nc } => nc.Name.Identifier.ValueText,
            ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax o } list } arg
                when SyntaxHelpers.CreatedType(o) == "NetworkCredential" && list.Arguments.IndexOf(arg) == 1 => "password",
            BinaryExpressionSyntax b when b.IsKind(SyntaxKind.EqualsExpression) || b.IsKind(SyntaxKind.NotEqualsExpression) =>
                SyntaxHelpers.SimpleName(b.Left == literal ? b.Right : b.Left),
            _ => null,
        };
    }

    private static bool LooksLikeSecretValue(string value)
        => value.Length >= 6 && !value.Contains(' ', StringComparison.Ordinal) && !value.StartsWith('{') && !value.StartsWith('<')
            && !value.StartsWith("$(", StringComparison.Ordinal) && !value.StartsWith("%", StringComparison.Ordinal)
            && MoreDistinctCharactersThan(value, 3);

    private static bool MoreDistinctCharactersThan(string value, int count)
    {
        Span<char> seen = stackalloc char[count];
        var found = 0;
        foreach (var c in value)
        {
            if (!seen[..found].Contains(c))
            {
                if (found == count)
                {
                    return true;
                }

                seen[found++] = c;
            }
        }

        return false;
    }

    /// <summary>Lower case without separators: a value that merely repeats its name ("secrets" for Secrets) is not a secret.</summary>
    private static string Simplified(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Text every match of <see cref="PemPrivateKey"/> holds: most literals are told apart without the regex.</summary>
    private const string PemMarker = "PRIVATE KEY-----";

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=\s]{40,}", RegexOptions.None, 1000)]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex(@"(passw|passwd|pwd|passphrase|secret|api_?key|apikey|access_?key|token|credential|private_?key|signing_?key|client_?secret)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(name|header|field|path|file|url|uri|type|kind|label|format|prefix|policy|scheme|endpoint|claim|route|param|key_?name|id$)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex NotSecretName();

    [GeneratedRegex(@"(password|pwd)\s*=", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex ConnectionPasswordKey();

    [GeneratedRegex(@"(?i)(^|;)\s*(password|pwd)\s*=\s*[^;{\s$%][^;]*", RegexOptions.None, 1000)]
    private static partial Regex ConnectionPassword();
}
