using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReviewBot.Pipeline;

/// <summary>Settings of escalation over time (section <c>ReviewBot:Escalation</c>).</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "ReviewBot:Escalation";

    /// <summary>How often <c>reviewbot serve</c> sweeps the escalation clocks: an escalation fires at most this late.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>reviewbot serve</c>'s escalation trigger: one <see cref="EscalationSweeper"/> sweep every
/// <see cref="EscalationOptions.SweepInterval"/> on the injected clock. A failed sweep is logged and the next one tries
/// again (the claims are atomic, so nothing fires twice). Under Azure Functions the timer trigger
/// (functions/escalation-sweep) drives the sweep instead.
/// </summary>
public sealed class EscalationSweepTimer(EscalationSweeper sweeper, IOptions<EscalationOptions> options, TimeProvider time, ILogger<EscalationSweepTimer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        if (interval <= TimeSpan.Zero)
        {
            log.LogWarning("Escalation sweep disabled (ReviewBot:Escalation:SweepInterval is {Interval})", interval);
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning("Escalation sweep failed, trying again in {Interval}: {Error}", interval, ReviewPipeline.Describe(ex));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
