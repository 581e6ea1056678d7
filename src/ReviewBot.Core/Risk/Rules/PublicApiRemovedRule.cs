namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB5001: a public/protected type or member removed.</summary>
public sealed class PublicApiRemovedRule : IMemberRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB5001", RiskCategories.Api, Severity.Medium, "Public API removed",
        "A public or protected type or member that the base declared is gone (and was not just moved): code compiled against it breaks. Deprecate with [Obsolete] first, or bump the major version. Removing what was already [Obsolete] or [Experimental] is the announced end of it, not a break, and so is removing an explicit parameterless constructor from a type left with no constructor (the compiler's implicit one takes its place); only packable libraries have public API. Medium: a breaking change is a release decision to accept knowingly, not a hazard in the code; the API findings of a change count once in the score. Gate on it with a rule matching `findings: [api]`, or raise it with `risk.severities`.");

    public void Compare(MemberVersion? before, MemberVersion? after, FindingSink sink)
    {
        if (before is { IsPublicApi: true, ContainerRemoved: false, Deprecated: false, ImplicitlyReplaced: false } && after is null && IsApiKind(before.Kind))
        {
            sink.Report(this, before, $"public {Describe(before.Kind)} {before.DisplayName} removed: a breaking change");
        }
    }

    internal static bool IsApiKind(MemberKind kind)
        => kind is not (MemberKind.File or MemberKind.TopLevel or MemberKind.AssemblyAttributes or MemberKind.Destructor);

    internal static string Describe(MemberKind kind) => kind switch
    {
        MemberKind.Type => "type",
        MemberKind.EnumMember => "enum value",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
