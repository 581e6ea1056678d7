using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>GitHub: options from <c>ReviewBot:GitHub</c>, webhook adapter and mapping, App / token authentication, session factory.</summary>
    public static IServiceCollection AddReviewBotGitHub(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(GitHubOptions.SectionName);
        var retired = RetiredSettings.Find(section, new Dictionary<string, string>
        {
            ["BuiltInDefaultRules"] = "the built-in default is rules/default.yml on every platform; put an organisation-wide policy in the owner's .github repository (docs/github.md)",
            ["BuiltInDefaultRulesPath"] = "the built-in default is rules/default.yml on every platform; put an organisation-wide policy in the owner's .github repository (docs/github.md)",
        });
        services.AddOptions<GitHubOptions>().Bind(section)
            .Validate(_ => retired.Count == 0, string.Join(" ", retired))
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new GitHubWebhookMapper(sp.GetRequiredService<IOptions<GitHubOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new GitHubWebhookAdapter(sp.GetRequiredService<IOptions<GitHubOptions>>().Value, sp.GetRequiredService<GitHubWebhookMapper>()));
        services.TryAddSingleton<GitHubTransport>();
        services.TryAddSingleton<GitHubCredentialsProvider>();
        services.TryAddSingleton<GitHubSessionFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformSessionFactory, GitHubSessionFactory>(sp => sp.GetRequiredService<GitHubSessionFactory>()));
        return services;
    }
}
