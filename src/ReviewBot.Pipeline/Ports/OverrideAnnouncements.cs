using ReviewBot.Core.Decisions;

namespace ReviewBot.Pipeline.Ports;

/// <summary>
/// What is announced when a break-glass override is first answered: where (platform id, repository, number) and the
/// override as the decision records it (who, why, when, head, lifted and kept requirements). Nothing secret: no token,
/// no rules text, no comment other than the reason.
/// </summary>
public sealed record OverrideAnnouncement(string Platform, string Repository, long Number, OverrideRecord Override);

/// <summary>Announces overrides where the organisation configured it (a webhook URL); best effort, the pipeline never fails on it.</summary>
public interface IOverrideAnnouncer
{
    Task AnnounceAsync(OverrideAnnouncement announcement, CancellationToken cancellationToken = default);
}
