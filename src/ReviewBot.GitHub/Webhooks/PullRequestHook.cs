using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Webhooks;

/// <summary>
/// The fields of a <c>pull_request</c> or <c>pull_request_review</c> delivery the bot reads, and only those: these two
/// events are most of the traffic, and reading a whole Octokit event model costs several times the rest of the intake.
/// Settable properties (not constructor parameters, not <c>init</c>, which the source generator also reads through
/// its parameterized-constructor path that caches every argument): that path cost most of an acknowledgement's CPU.
/// </summary>
internal sealed class PullRequestHook
{
    public string? Action { get; set; }
    public long Number { get; set; }
    public PullRequestPart? PullRequest { get; set; }
    public RepositoryPart? Repository { get; set; }
    public InstallationPart? Installation { get; set; }

    internal sealed class PullRequestPart
    {
        public long Number { get; set; }
        public HeadPart? Head { get; set; }
    }

    internal sealed class HeadPart
    {
        public string? Sha { get; set; }
    }

    internal sealed class RepositoryPart
    {
        public string? FullName { get; set; }
    }

    internal sealed class InstallationPart
    {
        public long Id { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 256)]
[JsonSerializable(typeof(PullRequestHook))]
internal sealed partial class PullRequestHookJsonContext : JsonSerializerContext;
