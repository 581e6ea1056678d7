using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReviewBot.Pipeline.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// ReviewBot's instruments (<see cref="ReviewBotMetrics"/>) on the host's meter factory. Registering them exports
    /// nothing: the host adds an exporter when one is configured (docs/telemetry.md).
    /// </summary>
    public static IServiceCollection AddReviewBotMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ReviewBotMetrics>();
        return services;
    }
}
