using Microsoft.Extensions.Configuration;

namespace ReviewBot.Pipeline;

/// <summary>
/// Settings an earlier version read and this one does not: a deployment that still sets one would silently get another
/// behaviour, so the host refuses to start and says what replaced it.
/// </summary>
public static class RetiredSettings
{
    /// <param name="section">The platform's section, e.g. <c>ReviewBot:GitLab</c>.</param>
    /// <param name="retired">Each retired key (relative to the section) and what to do instead.</param>
    public static IReadOnlyList<string> Find(IConfigurationSection section, IReadOnlyDictionary<string, string> retired)
        => [.. retired.Where(r => section.GetSection(r.Key).Exists()).Select(r => $"{section.Path}:{r.Key} is no longer read: {r.Value}")];
}
