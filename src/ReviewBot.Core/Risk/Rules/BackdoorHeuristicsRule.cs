using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3014: time bombs, hidden payloads and trapdoors keyed on the peer's host name or address.</summary>
public sealed class BackdoorHeuristicsRule : ISyntaxRule
{
    private const int PayloadLength = 120;

    public RuleDescriptor Descriptor { get; } = new(
        "RB3014", RiskCategories.Malicious, Severity.High, "Time bomb or hidden payload",
        "Behaviour gated on the clock passing a literal date (directly or through locals given the clock and the date once), or a long Base64 literal decoded at run time (or a Base64 literal of any length decoded and passed to Process.Start or Assembly.Load), are classic shapes of time bombs and smuggled payloads: both hide what the code will do from its reviewers. A date check whose branch only reports (writes or logs a message, throws, returns) is an expiry notice, not a bomb, and is not reported. The remote peer's host name (reverse DNS: Dns.GetHostEntry/GetHostByAddress) or address (RemoteEndPoint, RemoteIpAddress) compared with a literal, directly or through locals, is a trapdoor: behaviour reserved for one machine, and names and addresses are spoofed (loopback checks excepted).")
    {
        Cwes = [511, 506, 510],
    };

    /// <summary>The CWE ids of a time bomb, a hidden payload and a trapdoor finding.</summary>
    private static readonly IReadOnlyList<int> TimeBomb = [511], Payload = [506], Trapdoor = [510];

    /// <summary>Calls and members that give the remote peer's host name or address.</summary>
    private static readonly HashSet<string> PeerIdentity = ["GetHostEntry", "GetHostEntryAsync", "GetHostByAddress", "RemoteEndPoint", "RemoteIpAddress"];

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
    [
        SyntaxKind.GreaterThanExpression, SyntaxKind.GreaterThanOrEqualExpression, SyntaxKind.LessThanExpression,
        SyntaxKind.LessThanOrEqualExpression, SyntaxKind.EqualsExpression, SyntaxKind.InvocationExpression, SyntaxKind.VariableDeclarator,
    ];

    public IReadOnlyList<string> Triggers { get; } = ["FromBase64String", "DateTime", "GetUtcNow", .. PeerIdentity];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is InvocationExpressionSyntax i)
        {
            if (SyntaxHelpers.Invoked(i) is ("FromBase64String", "Convert")
                && SyntaxHelpers.Arg(i.ArgumentList, 0) is LiteralExpressionSyntax l && l.Token.ValueText.Length >= PayloadLength)
            {
                context.Report(this, i, $"a {l.Token.ValueText.Length}-character Base64 literal decoded at run time: a hidden payload?", cwes: Payload);
            }
            else if (SyntaxHelpers.Invoked(i) is ("FromBase64String", "Convert") && i.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax decoded }
                && SyntaxHelpers.Arg(i.ArgumentList, 0) is { } argument
                && (argument is IdentifierNameSyntax local ? context.FlowAt(i).SingleDefinition(local) : argument) is LiteralExpressionSyntax { Token.ValueText.Length: > 0 } encoded)
            {
                InspectDecodedRun(i, context, decoded, encoded.Token.ValueText);
            }
            else if (EqualsOperands(i) is var (subject, other))
            {
                InspectPeerCheck(i, context, subject, other);
            }

            return;
        }

        if (node is VariableDeclaratorSyntax declarator)
        {
            // A local given the clock or a literal date: the comparisons of the member that use it (the comparison
            // itself holds neither name, so the walk would not show it to the rule).
            if (declarator.Initializer?.Value is { } peer && IsPeer(peer))
            {
                foreach (var use in Flow.MemberFlow.OwnerOf(node).DescendantNodes())
                {
                    if (use is InvocationExpressionSyntax call && EqualsOperands(call) is var (subject, other)
                        && (Rooted(subject, declarator) || Rooted(other, declarator)))
                    {
                        InspectPeerCheck(call, context, subject, other, viaLocal: true);
                    }
                    else if (use is BinaryExpressionSyntax b && b.IsKind(SyntaxKind.EqualsExpression) && (Rooted(b.Left, declarator) || Rooted(b.Right, declarator)))
                    {
                        InspectPeerCheck(b, context, b.Left, b.Right, viaLocal: true);
                    }
                }
            }

            if (declarator.Initializer?.Value is { } value && (IsClock(value) || IsLiteralDate(value)))
            {
                foreach (var use in Flow.MemberFlow.OwnerOf(node).DescendantNodes().OfType<BinaryExpressionSyntax>())
                {
                    if (Kinds.Contains(use.Kind()) && (Names(use.Left, declarator) || Names(use.Right, declarator)))
                    {
                        var flow = context.FlowAt(use);
                        InspectComparison(use, context, Defined(use.Left, flow), Defined(use.Right, flow));
                    }
                }
            }

            return;
        }

        var binary = (BinaryExpressionSyntax)node;
        InspectComparison(binary, context, binary.Left, binary.Right);
        if (binary.IsKind(SyntaxKind.EqualsExpression))
        {
            InspectPeerCheck(binary, context, binary.Left, binary.Right);
        }
    }

    /// <summary>
    /// A check of the peer's host name or address: one operand a literal that is not loopback, the other read from the
    /// peer (<paramref name="viaLocal"/>: the caller found it rooted in a local given the peer; otherwise it must name the peer itself).
    /// </summary>
    private void InspectPeerCheck(ExpressionSyntax check, SyntaxContext context, ExpressionSyntax a, ExpressionSyntax b, bool viaLocal = false)
    {
        var (peer, literal) = b is LiteralExpressionSyntax ? (a, b) : (b, a);
        if (literal is LiteralExpressionSyntax { Token.Value: string text } && !IsLoopback(text)
            && (viaLocal || IsPeer(peer)) && context.FlowAt(check).IsReachable(check))
        {
            context.Report(this, check, $"behaviour gated on the remote peer's host name or address being \"{text}\": a trapdoor for one machine (names and addresses are spoofed)", cwes: Trapdoor);
        }
    }

    /// <summary>
    /// The two values an <c>Equals</c> call compares, with or without a trailing comparison argument: the instance form
    /// (<c>host.Equals("x"[, comparison])</c>) and the static form (<c>string.Equals(host, "x"[, comparison])</c>).
    /// </summary>
    private static (ExpressionSyntax Subject, ExpressionSyntax Other)? EqualsOperands(InvocationExpressionSyntax call)
    {
        if (SyntaxHelpers.SimpleName(call.Expression) != "Equals")
        {
            return null;
        }

        var args = call.ArgumentList.Arguments.Select(a => a.Expression).ToList();
        if (args.Count > 0 && args[^1] is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "StringComparison" } })
        {
            args.RemoveAt(args.Count - 1);
        }

        var isStatic = call.Expression is MemberAccessExpressionSyntax { Expression: PredefinedTypeSyntax or IdentifierNameSyntax { Identifier.ValueText: "String" or "Object" } };
        return args.Count switch
        {
            1 when !isStatic && call.Expression is MemberAccessExpressionSyntax m => (m.Expression, args[0]),
            2 => (args[0], args[1]),
            _ => null,
        };
    }

    /// <summary>This machine, by name or address (IPv4, IPv6, IPv4 mapped into IPv6 as dual-stack servers report it): no trapdoor.</summary>
    private static bool IsLoopback(string text)
        => text is "" or "::1" or "localhost" || text.StartsWith("127.", StringComparison.Ordinal)
            || text.StartsWith("::ffff:127.", StringComparison.OrdinalIgnoreCase);

    /// <summary>A short Base64 literal (written at the call or in a local given it once) decoded into a local whose text a process start or an assembly load of the member gets (through locals).</summary>
    private void InspectDecodedRun(InvocationExpressionSyntax decode, SyntaxContext context, VariableDeclaratorSyntax decoded, string literal)
    {
        var flow = context.FlowAt(decode);
        foreach (var run in Flow.MemberFlow.OwnerOf(decode).DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (SyntaxHelpers.Invoked(run) is ("Start", "Process") or ("Load" or "LoadFrom" or "LoadFile" or "UnsafeLoadFrom", "Assembly")
                && run.ArgumentList.Arguments.Any(a => MadeFrom(a.Expression, decoded.Identifier.ValueText, flow, 0)) && flow.IsReachable(run))
            {
                context.Report(this, decode, $"the Base64 literal \"{literal}\" is decoded and passed to {SyntaxHelpers.Normalize(run.Expression)}: a hidden command or payload", cwes: Payload);
                return;
            }
        }
    }

    /// <summary><paramref name="e"/> names the local <paramref name="name"/>, or a local given a value made from it (at most three steps back).</summary>
    private static bool MadeFrom(ExpressionSyntax e, string name, Flow.MemberFlow flow, int depth)
    {
        foreach (var id in e.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(16))
        {
            if (id.Identifier.ValueText == name || (depth < 3 && flow.Definitions(id).Any(v => MadeFrom(v, name, flow, depth + 1))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The expression reads the remote peer's host name or address.</summary>
    private static bool IsPeer(ExpressionSyntax e)
        => e.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Take(24).Any(n => PeerIdentity.Contains(n.Identifier.ValueText));

    /// <summary><paramref name="e"/> is the local or starts with it (<c>host.HostName</c>).</summary>
    private static bool Rooted(ExpressionSyntax e, VariableDeclaratorSyntax local)
    {
        while (e is MemberAccessExpressionSyntax m)
        {
            e = m.Expression;
        }

        return Names(e, local);
    }

    private static bool Names(ExpressionSyntax operand, VariableDeclaratorSyntax local)
        => operand is IdentifierNameSyntax id && id.Identifier.ValueText == local.Identifier.ValueText;

    private void InspectComparison(BinaryExpressionSyntax binary, SyntaxContext context, ExpressionSyntax left, ExpressionSyntax right)
    {
        if (((IsLiteralDate(right) && IsClock(left)) || (IsLiteralDate(left) && IsClock(right))) && !OnlyReports(binary))
        {
            context.Report(this, binary, "behaviour gated on the clock passing a literal date: a time bomb?", cwes: TimeBomb);
        }
    }

    /// <summary>The comparison is the condition of an <c>if</c> whose branch only writes or logs a message, throws or returns.</summary>
    private static bool OnlyReports(BinaryExpressionSyntax comparison)
    {
        if (comparison.Parent is not IfStatementSyntax { Statement: var branch } gate || gate.Condition != comparison)
        {
            return false;
        }

        var statements = branch is BlockSyntax block ? block.Statements.ToList() : [branch];
        return statements.Count > 0 && statements.All(s => s switch
        {
            ThrowStatementSyntax or ReturnStatementSyntax { Expression: null or LiteralExpressionSyntax } => true,
            ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } => SyntaxHelpers.SimpleName(call.Expression) is { } name
                && (name.StartsWith("Write", StringComparison.Ordinal) || name.StartsWith("Log", StringComparison.Ordinal)
                    || name is "Warn" or "Info" or "Error" or "Debug" or "Trace" or "Information" or "Warning"),
            _ => false,
        });
    }

    /// <summary>A local given a value once stands for that value (<c>var now = DateTime.Now; if (now > end)</c>).</summary>
    private static ExpressionSyntax Defined(ExpressionSyntax e, Flow.MemberFlow flow)
        => e is IdentifierNameSyntax local && flow.SingleDefinition(local) is { } value ? value : e;

    private static bool IsClock(ExpressionSyntax e)
    {
        var text = e.ToString();
        return text.Contains("DateTime.Now", StringComparison.Ordinal) || text.Contains("DateTime.UtcNow", StringComparison.Ordinal)
            || text.Contains("DateTime.Today", StringComparison.Ordinal) || text.Contains("DateTimeOffset.Now", StringComparison.Ordinal)
            || text.Contains("DateTimeOffset.UtcNow", StringComparison.Ordinal) || text.Contains("GetUtcNow()", StringComparison.Ordinal);
    }

    private static bool IsLiteralDate(ExpressionSyntax e) => e switch
    {
        ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is "DateTime" or "DateTimeOffset" || o.Type.ToString().EndsWith("DateTime", StringComparison.Ordinal)
            => o.ArgumentList is { Arguments.Count: >= 3 } a && a.Arguments.All(x => x.Expression is LiteralExpressionSyntax || x.Expression is MemberAccessExpressionSyntax),
        InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ("Parse" or "ParseExact", "DateTime" or "DateTimeOffset")
            => SyntaxHelpers.Arg(i.ArgumentList, 0) is LiteralExpressionSyntax,
        _ => false,
    };
}
