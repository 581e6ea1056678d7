using System.Diagnostics;

namespace ReviewBot.Core.Pipeline;

/// <summary>
/// The one activity source of ReviewBot (<see cref="Name"/>): a span per delivery and per evaluation, and the
/// evaluation's phases. Spans carry identifiers (platform, repository, pull request, head, delivery), never a secret
/// or payload content. Nothing is recorded unless a listener (the OpenTelemetry SDK of the host) subscribes.
/// </summary>
public static class ReviewTracing
{
    /// <summary>The activity source's name, and the meter's (docs/telemetry.md).</summary>
    public const string Name = "ReviewBot";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Starts a child span of the current one for one phase (<c>reviewbot.classify</c>, …); null when nobody listens.</summary>
    public static Activity? Phase(string name) => Source.StartActivity(name);
}
