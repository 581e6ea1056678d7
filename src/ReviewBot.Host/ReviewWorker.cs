using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReviewBot.Host;

/// <summary>Drains the <see cref="InProcessReviewQueue"/> one request at a time (so one PR is never evaluated twice at once).</summary>
public sealed class ReviewWorker(
    InProcessReviewQueue queue,
    ReviewProcessor processor,
    IOptions<ReviewWorkerOptions> options,
    ILogger<ReviewWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("In-process review worker disabled (ReviewBot:Worker:Enabled=false)");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            Core.Ports.ReviewRequest request;
            try
            {
                request = await queue.DequeueAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await processor.ProcessAsync(request, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // ProcessAsync audits its own failures; this only guards the loop.
                logger.LogError("Unexpected failure while processing {PullRequest}: {Error}", request.PullRequestKey, ReviewProcessor.Describe(ex));
            }
        }
    }
}
