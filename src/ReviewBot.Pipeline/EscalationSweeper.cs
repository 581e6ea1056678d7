using Microsoft.Extensions.Logging;
using ReviewBot.Core.Policy;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>
/// One sweep of the escalation clocks: every clock that ran out is claimed in the store (atomically, so with several
/// instances sweeping at once each fires once), audited as an <c>escalation</c> entry, and its pull request queued for
/// re-evaluation so the check and the review requests follow. Idempotent: a second sweep finds nothing to claim.
/// Driven by a timer: <c>serve</c>'s background timer or the Azure Functions timer trigger.
/// </summary>
public sealed class EscalationSweeper(IEscalationStore store, IAuditStore audit, IReviewQueue queue, TimeProvider time, ILogger<EscalationSweeper> log)
{
    /// <summary>The event name of the audit entries and review requests a sweep writes.</summary>
    public const string Event = "escalation";

    /// <returns>The clocks this sweep fired.</returns>
    public async Task<IReadOnlyList<EscalationClock>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var fired = await store.ClaimDueAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (var clock in fired)
        {
            var id = $"escalation:{clock.PullRequest.PullRequestKey}:{clock.HeadSha}:{clock.Rule}";
            await audit.AppendAsync(
                new AuditRecord
                {
                    Id = id,
                    Time = now,
                    Platform = clock.PullRequest.Platform.Id,
                    Repository = clock.PullRequest.Repository,
                    Number = clock.PullRequest.Number,
                    HeadSha = clock.HeadSha,
                    DeliveryId = id,
                    Event = Event,
                    Actions = [Describe(clock)],
                },
                cancellationToken).ConfigureAwait(false);
            await queue.EnqueueAsync(clock.PullRequest with { DeliveryId = id, Event = Event, HeadSha = clock.HeadSha, ReceivedAt = now }, cancellationToken).ConfigureAwait(false);
            log.LogInformation("{Key} head {Head}: {Action}", clock.PullRequest.PullRequestKey, clock.HeadSha, Describe(clock));
        }

        return fired;
    }

    /// <summary>What the check and the audit log say of a fired clock.</summary>
    public static string Describe(EscalationClock clock)
        => $"escalated: rule \"{clock.Rule}\" was unmet for {Escalation.Format(clock.After)} after the change was ready; review requested from group {clock.Group}";
}
