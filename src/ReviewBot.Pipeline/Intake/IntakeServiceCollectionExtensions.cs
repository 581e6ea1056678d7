using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Pipeline.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>The one webhook intake and its body budget (settings under <c>ReviewBot:Intake</c>); needs an <see cref="IDeliveryInbox"/>.</summary>
    public static IServiceCollection AddWebhookIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.SectionName));
        services.TryAddSingleton(sp => new BodyBudget(sp.GetRequiredService<IOptions<IntakeOptions>>().Value.MaxBufferedBytes));
        services.AddReviewBotMetrics();
        services.TryAddSingleton<IntakeLoad>();
        services.TryAddSingleton<WebhookIntake>();
        return services;
    }
}
