using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.TestSupport;

/// <summary>The smallest snapshot a review request names (for worker and load tests whose platform side is recorded, not real).</summary>
public static class RequestSnapshots
{
    public static PullRequestSnapshot For(ReviewRequest request) => new()
    {
        Platform = request.Platform,
        IdentityFacts = PlatformIdentityFacts.For(request.Platform),
        Repository = request.Repository,
        Number = request.Number,
        Title = "Change " + request.DeliveryId,
        Author = new Person { Login = "octocat" },
        BaseRef = "main",
        BaseSha = new string('b', 40),
        HeadRef = "feature",
        HeadSha = request.HeadSha ?? new string('h', 40),
    };
}
