namespace ReviewBot.Core.Snapshot;

/// <summary>
/// A comment on the pull request's conversation (GitHub issue comment, GitLab merge request note), as the platform's
/// API lists it: the author is the account the platform names, never text from a webhook payload.
/// </summary>
public sealed record Comment
{
    /// <summary>The platform's id of the comment (replies are keyed by it).</summary>
    public required long Id { get; init; }

    public required Person Author { get; init; }

    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The text was changed after it was posted. On both platforms people other than the author can edit a comment
    /// (GitHub: anyone with write access; GitLab: maintainers), so an edited comment is never taken as a command.
    /// </summary>
    public bool Edited { get; init; }
}
