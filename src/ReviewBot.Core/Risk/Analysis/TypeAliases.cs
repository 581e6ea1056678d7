using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// What a file's <c>using</c> directives make a name mean, so that rules matching type names by text see through
/// them: <c>using P = System.Diagnostics.Process;</c> makes <c>P.Start(…)</c> a <c>Process.Start</c>, also when the alias
/// is a <c>global using</c> in another file of the change; <c>using static System.Diagnostics.Process;</c> makes a bare
/// <c>Start(…)</c> one. The table of the file being walked is ambient (thread-static) while the walk runs, so the many
/// callers of <see cref="SyntaxHelpers.SimpleName"/> need no new parameter; outside a walk names resolve to themselves.
/// </summary>
internal sealed partial class TypeAliases
{
    [ThreadStatic]
    private static TypeAliases? current;

    private readonly Dictionary<string, string> aliases;

    private TypeAliases(Dictionary<string, string> aliases, string? staticReceiver)
    {
        this.aliases = aliases;
        StaticReceiver = staticReceiver;
    }

    /// <summary>The type a bare call (no receiver) is taken to be made on: the file's one <c>using static</c> type, or the first a rule looks for.</summary>
    private string? StaticReceiver { get; }

    /// <summary>The simple type name <paramref name="name"/> stands for in the file being walked (itself when no alias).</summary>
    public static string Resolve(string name) => current is { } c && c.aliases.TryGetValue(name, out var target) ? target : name;

    /// <summary>See <see cref="StaticReceiver"/>; null outside a walk or without such a <c>using static</c>.</summary>
    public static string? BareCallReceiver => current?.StaticReceiver;

    /// <summary>Makes <paramref name="table"/> the ambient one until disposed.</summary>
    public static Scope Enter(TypeAliases? table)
    {
        var previous = current;
        current = table;
        return new Scope(previous);
    }

    public readonly struct Scope(TypeAliases? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }

    /// <summary>
    /// The file's table: its own alias and static usings (at the top and in namespaces) plus the change's global aliases;
    /// null when the file has none that matter. <paramref name="isTrigger"/> says whether a type name is one a rule looks
    /// for (only those can hide a finding, and only those are worth a bare-call receiver).
    /// </summary>
    public static TypeAliases? Of(CompilationUnitSyntax root, IReadOnlyDictionary<string, string> globalAliases, Func<string, bool> isTrigger)
    {
        Dictionary<string, string>? aliases = globalAliases.Count > 0 ? new(globalAliases, StringComparer.Ordinal) : null;
        var staticTypes = new List<string>();
        var usings = new List<UsingDirectiveSyntax>(root.Usings);
        var namespaces = new Stack<BaseNamespaceDeclarationSyntax>(root.Members.OfType<BaseNamespaceDeclarationSyntax>());
        while (namespaces.Count > 0)
        {
            var ns = namespaces.Pop();
            usings.AddRange(ns.Usings);
            foreach (var inner in ns.Members.OfType<BaseNamespaceDeclarationSyntax>())
            {
                namespaces.Push(inner);
            }
        }

        foreach (var u in usings)
        {
            var target = TargetName(u.Name);
            if (target is null)
            {
                continue;
            }

            if (u.Alias is { } alias)
            {
                (aliases ??= new(StringComparer.Ordinal))[alias.Name.Identifier.ValueText] = target;
            }
            else if (!u.StaticKeyword.IsMissing && u.StaticKeyword.ValueText == "static")
            {
                staticTypes.Add(target);
            }
        }

        // A bare call is taken to be on the one statically imported type, or on the first a rule looks for.
        var staticReceiver = staticTypes.Count == 1 ? staticTypes[0] : staticTypes.FirstOrDefault(isTrigger);
        return aliases is null && staticReceiver is null ? null : new TypeAliases(aliases ?? [], staticReceiver);
    }

    /// <summary>True when some alias names a type a rule looks for: the text search cannot see it, so the file is walked node by node.</summary>
    public bool HidesTrigger(Func<string, bool> isTrigger) => StaticReceiver is not null || aliases.Values.Any(isTrigger);

    /// <summary><c>global using A = N.T;</c> directives found in the text of a file of the change (alias → simple type name).</summary>
    public static void AddGlobalAliases(string source, Dictionary<string, string> into)
    {
        if (!source.Contains("global", StringComparison.Ordinal))
        {
            return;
        }

        foreach (Match m in GlobalAlias().Matches(source))
        {
            into[m.Groups["alias"].Value] = LastSegment(m.Groups["target"].Value);
        }
    }

    private static string? TargetName(NameSyntax? name) => name switch
    {
        null => null,
        GenericNameSyntax => null,
        QualifiedNameSyntax { Right: GenericNameSyntax } => null,
        _ => SyntaxHelpers.SimpleName(name) is { } simple ? simple : null,
    };

    private static string LastSegment(string qualified)
    {
        var start = Math.Max(qualified.LastIndexOf('.'), qualified.LastIndexOf(':')) + 1;
        return qualified[start..];
    }

    [GeneratedRegex(@"\bglobal\s+using\s+(?<alias>@?[\p{L}_][\p{L}\p{Nd}_]*)\s*=\s*(?<target>[\p{L}_][\p{L}\p{Nd}_.:]*)\s*;", RegexOptions.None, 1000)]
    private static partial Regex GlobalAlias();
}
