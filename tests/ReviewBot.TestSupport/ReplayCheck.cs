using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Replay;

namespace ReviewBot.TestSupport;

/// <summary>
/// Replays every decision a test's host recorded (each audit record with a decision) from its recorded snapshot
/// and fails when one cannot be replayed or replays to a different decision. End-to-end fixtures call it before
/// they stop their host.
/// </summary>
public static class ReplayCheck
{
    /// <returns>How many decisions replayed to the same decision.</returns>
    public static Task<int> AssertEveryDecisionReplaysAsync(IServiceProvider services)
        => AssertEveryDecisionReplaysAsync(services.GetRequiredService<IAuditStore>(), services.GetRequiredService<IEvaluationStore>());

    /// <returns>How many decisions replayed to the same decision.</returns>
    public static async Task<int> AssertEveryDecisionReplaysAsync(IAuditStore audit, IEvaluationStore evaluations)
    {
        var replayer = new EvaluationReplayer(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)), evaluations);
        var problems = new List<string>();
        var replayed = 0;
        foreach (var record in await audit.ListAsync(new AuditQuery { Limit = 0 }))
        {
            if (record.Error is not null || record.Decision is null)
            {
                continue;
            }

            try
            {
                var result = await replayer.ReplayAsync(record);
                if (result.Same)
                {
                    replayed++;
                    continue;
                }

                problems.Add($"{record.Id} replays to a different decision: "
                    + string.Join("; ", result.Differences.Select(d => $"{d.Aspect}: recorded [{string.Join(", ", d.Recorded)}], replayed [{string.Join(", ", d.Replayed)}]")));
            }
            catch (ReplayUnavailableException ex)
            {
                problems.Add($"{record.Id}: {ex.Message}");
            }
        }

        return problems.Count == 0
            ? replayed
            : throw new InvalidOperationException("recorded decisions do not replay:\n" + string.Join('\n', problems));
    }
}
