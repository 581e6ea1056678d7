using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ReviewBot.Core.Tests.Architecture;

/// <summary>
/// An API an assembly may not use: an assembly (by name prefix), a namespace (with everything below it), a type, or
/// one member of a type (e.g. <c>System.DateTime</c> <c>get_UtcNow</c>).
/// </summary>
internal sealed record ForbiddenApi(string Name, string Why, string? Member = null, bool IsAssembly = false)
{
    /// <summary>Members of a forbidden type that are allowed all the same (what the compiler itself emits).</summary>
    public IReadOnlyList<string> Except { get; init; } = [];

    public static ForbiddenApi Assembly(string prefix, string why) => new(prefix, why, IsAssembly: true);

    /// <summary>A namespace or a type: the name itself and everything nested below it, but the members <paramref name="except"/>.</summary>
    public static ForbiddenApi Type(string fullName, string why, params string[] except) => new(fullName, why) { Except = except };

    public static ForbiddenApi MemberOf(string type, string member, string why) => new(type, why, member);

    public bool CoversType(string fullName)
        => Member is null && !IsAssembly
            && (fullName == Name || fullName.StartsWith(Name + ".", StringComparison.Ordinal) || fullName.StartsWith(Name + "+", StringComparison.Ordinal));

    public bool CoversAssembly(string name)
        => IsAssembly && (name == Name || name.StartsWith(Name + ".", StringComparison.Ordinal));
}

/// <summary>
/// Reads a compiled assembly's metadata — the assemblies it references, the types it references and the members of
/// those types it calls — and reports every use of a forbidden API. Only what the compiler emitted counts, so the
/// text of strings and comments (risk rules name <c>File.ReadAllText</c> in their descriptions) is no use.
/// </summary>
internal static class ApiUsage
{
    public static IReadOnlyList<string> Violations(string assemblyPath, IReadOnlyList<ForbiddenApi> forbidden)
    {
        using var stream = File.OpenRead(assemblyPath);
        return Violations(stream, forbidden);
    }

    public static IReadOnlyList<string> Violations(Stream assembly, IReadOnlyList<ForbiddenApi> forbidden)
    {
        using var pe = new PEReader(assembly, PEStreamOptions.LeaveOpen);
        var metadata = pe.GetMetadataReader();
        var found = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var handle in metadata.AssemblyReferences)
        {
            var name = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
            foreach (var rule in forbidden.Where(f => f.CoversAssembly(name)))
            {
                found.Add($"references assembly {name}: {rule.Why}");
            }
        }

        // Members called on referenced types (members of generic instantiations and of the assembly's own types are
        // left out: the types they belong to are checked as type references).
        var members = metadata.MemberReferences
            .Select(metadata.GetMemberReference)
            .Where(m => m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => (Type: FullName(metadata, (TypeReferenceHandle)m.Parent), Name: metadata.GetString(m.Name)))
            .ToList();

        foreach (var handle in metadata.TypeReferences)
        {
            var type = FullName(metadata, handle);
            foreach (var rule in forbidden.Where(f => f.CoversType(type)))
            {
                var all = members.Where(m => m.Type == type).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToList();
                var called = all.Where(m => !rule.Except.Contains(m)).ToList();
                if (all.Count > 0 && called.Count == 0)
                {
                    continue; // only the allowed members
                }

                found.Add($"uses type {type}{(called.Count > 0 ? " (" + string.Join(", ", called) + ")" : "")}: {rule.Why}");
            }
        }

        foreach (var (type, name) in members)
        {
            foreach (var rule in forbidden.Where(f => f.Member == name && f.Name == type))
            {
                found.Add($"calls {type}.{name}: {rule.Why}");
            }
        }

        return [.. found];
    }

    /// <summary>Namespace.Type, with <c>+</c> between an enclosing type and a nested one.</summary>
    private static string FullName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        var name = metadata.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(metadata, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        var ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
