using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewBot.GitHub;

namespace ReviewBot.GitLab.Tests;

/// <summary>A setting an earlier version read and this one does not stops the host, naming what replaced it.</summary>
public sealed class RetiredSettingsTests
{
    private static IServiceProvider Services(Action<IServiceCollection, IConfiguration> add, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection();
        add(services, configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void GitLabs_renamed_built_in_switch_is_refused_with_its_new_name()
    {
        var services = Services((s, c) => s.AddGitLab(c), ("ReviewBot:GitLab:BaseUrl", "https://gitlab.example.com"), ("ReviewBot:GitLab:UseBuiltInRules", "false"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GitLabOptions>>().Value);
        Assert.Contains("ReviewBot:GitLab:UseBuiltInRules is no longer read", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseBuiltInDefault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GitHubs_removed_default_rules_setting_is_refused_and_a_current_one_starts()
    {
        var retired = Services((s, c) => s.AddReviewBotGitHub(c), ("ReviewBot:GitHub:BuiltInDefaultRules", "version: 1"));
        var error = Assert.Throws<OptionsValidationException>(() => retired.GetRequiredService<IOptions<GitHubOptions>>().Value);
        Assert.Contains("ReviewBot:GitHub:BuiltInDefaultRules is no longer read", error.Message, StringComparison.Ordinal);

        var current = Services((s, c) => s.AddReviewBotGitHub(c), ("ReviewBot:GitHub:UseBuiltInDefault", "false"));
        Assert.False(current.GetRequiredService<IOptions<GitHubOptions>>().Value.UseBuiltInDefault);
    }
}
