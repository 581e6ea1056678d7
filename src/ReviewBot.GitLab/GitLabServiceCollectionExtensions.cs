using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.GitLab.Webhooks;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.GitLab;

/// <summary>Marks that GitLab is configured and switched on (the webhook endpoint is mapped only then).</summary>
public sealed class GitLabRegistration;

public static class GitLabServiceCollectionExtensions
{
    /// <summary>
    /// Registers GitLab when the <c>ReviewBot:GitLab</c> section exists and <c>Enabled</c> is not false: options
    /// (validated when the host starts: no start without a token; the webhook secrets are checked by the
    /// intake's start-up validation), the webhook verifier and adapter, the HTTP client and the <see cref="IPlatformSessionFactory"/> for <c>Platform.GitLab</c>.
    /// </summary>
    public static IServiceCollection AddGitLab(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(GitLabOptions.SectionName);
        if (!section.Exists() || !section.GetValue(nameof(GitLabOptions.Enabled), true))
        {
            return services;
        }

        var retired = RetiredSettings.Find(section, new Dictionary<string, string>
        {
            ["UseBuiltInRules"] = "it is UseBuiltInDefault now (the same default as on GitHub; see docs/gitlab.md)",
        });
        services.AddOptions<GitLabOptions>()
            .Bind(section)
            .Validate(_ => retired.Count == 0, string.Join(" ", retired))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitLabOptions>, GitLabOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GitLabRegistration>();
        services.TryAddSingleton(sp => new GitLabWebhookVerifier(sp.GetRequiredService<IOptions<GitLabOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new GitLabWebhookAdapter(
            sp.GetRequiredService<IOptions<GitLabOptions>>().Value, sp.GetRequiredService<GitLabWebhookVerifier>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(GitLabSessionFactory.HttpClientName, (sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<GitLabOptions>>().Value.RequestTimeout;
            http.DefaultRequestHeaders.UserAgent.ParseAdd("ReviewBot");
        }).AddHttpMessageHandler(() => new PlatformRequests.CountingHandler());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformSessionFactory, GitLabSessionFactory>());
        return services;
    }
}

internal sealed class GitLabOptionsValidator : IValidateOptions<GitLabOptions>
{
    public ValidateOptionsResult Validate(string? name, GitLabOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
