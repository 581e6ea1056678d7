using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB5002: a public member's signature changed, its visibility reduced, or an abstract/interface member added to an existing type.</summary>
public sealed class PublicApiChangedRule : IMemberRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB5002", RiskCategories.Api, Severity.Medium, "Public API signature changed",
        "A public or protected member changed its parameters, return type, modifiers or accessors, lost visibility or was renamed, or an existing public interface/abstract class gained a member implementers must provide: callers or implementers compiled against the base break. Additions that break nobody are not reported: a member made virtual, an interface or base type added to a type's list, a private accessor changed, an accessor added to a property that is not abstract or an interface's, an enum value written out with the value it already had. Members marked [Obsolete] or [Experimental] (or in such a type) may change. Only packable libraries have public API (applications, internal libraries and tests do not); one type renamed across many signatures is one finding. Medium, and counted once per change in the score, like RB5001.");

    public void Compare(MemberVersion? before, MemberVersion? after, FindingSink sink)
    {
        if (after is null || !PublicApiRemovedRule.IsApiKind(after.Kind))
        {
            return;
        }

        if (before is { IsPublicApi: true, Deprecated: true })
        {
            return; // [Obsolete] or [Experimental]: callers were told it may change
        }

        if (before is { IsPublicApi: true })
        {
            if (!after.IsPublicApi)
            {
                sink.Report(this, after, $"{before.DisplayName} is no longer public: a breaking change");
            }
            else if (before.Signature != after.Signature && !SignatureDelta.OnlyWidens(before.Signature, after.Signature, before.Kind, before.RequiresImplementation || after.RequiresImplementation))
            {
                var (was, now, rename) = SignatureDelta.Of(before.Signature, after.Signature);
                var message = rename is not null
                    ? $"`{was}` → `{now}` in the public signature of {before.DisplayName}: callers compiled against the base break"
                    : $"signature of {before.DisplayName} changed: `{was}` → `{now}`";
                sink.Report(this, after, message, cause: rename);
            }
            else if (!string.Equals(before.DisplayName, after.DisplayName, StringComparison.Ordinal))
            {
                sink.Report(this, after, $"{before.DisplayName} renamed to {after.DisplayName}: callers compiled against the base break");
            }

            return;
        }

        if (before is null && after.IsPublicApi && !after.ContainerAdded && after.RequiresImplementation)
        {
            sink.Report(this, after, $"{after.DisplayName} added to an existing abstract type or interface: implementers must add it");
        }
    }
}
