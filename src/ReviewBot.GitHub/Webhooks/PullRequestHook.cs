using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Webhooks;

/// <summary>
/// The fields of a <c>pull_request</c> or <c>pull_request_review</c> delivery the bot reads, and only those: these two
/// events are most of the traffic, and reading a whole Octokit event model costs several times the rest of the intake.
/// </summary>
internal sealed record PullRequestHook(string? Action, long Number, PullRequestHook.PullRequestPart? PullRequest, PullRequestHook.RepositoryPart? Repository, PullRequestHook.InstallationPart? Installation)
{
    internal sealed record PullRequestPart(long Number, HeadPart? Head);

    internal sealed record HeadPart(string? Sha);

    internal sealed record RepositoryPart(string? FullName);

    internal sealed record InstallationPart(long Id);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 256)]
[JsonSerializable(typeof(PullRequestHook))]
internal sealed partial class PullRequestHookJsonContext : JsonSerializerContext;
