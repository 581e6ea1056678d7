using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Host;

/// <summary>The organisation's override announcements (section <c>ReviewBot:Overrides</c>).</summary>
public sealed class OverrideAnnouncementOptions
{
    public const string SectionName = "ReviewBot:Overrides";

    /// <summary>An http(s) URL that receives a JSON POST for each accepted override; empty: no announcements. Never logged (it may carry a token).</summary>
    public string? AnnounceUrl { get; set; }

    /// <summary>How long one announcement may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Posts each accepted override as JSON to the configured URL (best effort; the pipeline logs a failure and goes on).</summary>
public sealed class WebhookOverrideAnnouncer(HttpClient http, IOptions<OverrideAnnouncementOptions> options) : IOverrideAnnouncer
{
    public async Task AnnounceAsync(OverrideAnnouncement announcement, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        using var response = await http.PostAsJsonAsync(new Uri(options.Value.AnnounceUrl!), new { @event = "reviewbot.override", announcement }, timeout.Token)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: the URL and the answer's body may carry secrets.
            throw new HttpRequestException($"the announcement webhook answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }

    /// <summary>Registers the announcer when <c>ReviewBot:Overrides:AnnounceUrl</c> is set; a URL that is not absolute http(s) stops the start.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OverrideAnnouncementOptions.SectionName);
        var url = section.Get<OverrideAnnouncementOptions>()?.AnnounceUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new OptionsValidationException(OverrideAnnouncementOptions.SectionName, typeof(OverrideAnnouncementOptions),
                [$"{OverrideAnnouncementOptions.SectionName}:AnnounceUrl must be an absolute http(s) URL"]);
        }

        services.AddOptions<OverrideAnnouncementOptions>().Bind(section);
        services.AddSingleton<IOverrideAnnouncer>(sp => new WebhookOverrideAnnouncer(new HttpClient(), sp.GetRequiredService<IOptions<OverrideAnnouncementOptions>>()));
    }
}
