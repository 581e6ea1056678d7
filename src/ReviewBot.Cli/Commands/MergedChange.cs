using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// A pull request merged into a mainline, recognised from the mainline's first-parent history alone:
/// <list type="bullet">
/// <item><b>merge</b>: every first-parent commit with two or more parents; the change is <c>first parent..merge</c>. Its
/// number is read from GitHub's subject <c>Merge pull request #123 from …</c> or GitLab's line
/// <c>See merge request group/project!123</c>, when either is there.</item>
/// <item><b>squash</b>: a one-parent commit whose subject ends with <c>(#123)</c> (GitHub's squash and rebase-merge
/// title) or whose message holds <c>See merge request group/project!123</c> (GitLab); the change is
/// <c>parent..commit</c>.</item>
/// </list>
/// Other one-parent commits (direct pushes) are not pull requests and are skipped.
/// </summary>
internal sealed partial record MergedChange(string Kind, long? Number, string Base, Commit Commit, string Title)
{
    public const string Merge = "merge";
    public const string Squash = "squash";

    public static MergedChange? Recognise(Commit commit)
    {
        var subject = commit.Subject;
        var gitLab = GitLabMergeRequest().Match(commit.Message);
        long? gitLabNumber = gitLab.Success ? ParseNumber(gitLab.Groups["n"].Value) : null;
        if (commit.IsMerge)
        {
            var gitHub = GitHubMergeSubject().Match(subject);
            var title = commit.Message.Split('\n').Skip(1).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !GitLabMergeRequest().IsMatch(l)) ?? subject;
            return new MergedChange(Merge, gitHub.Success ? ParseNumber(gitHub.Groups["n"].Value) : gitLabNumber, commit.Parents[0], commit, title);
        }

        if (commit.Parents.Count == 1)
        {
            var suffix = SquashSuffix().Match(subject);
            if (suffix.Success)
            {
                return new MergedChange(Squash, ParseNumber(suffix.Groups["n"].Value), commit.Parents[0], commit, subject[..suffix.Index].TrimEnd());
            }

            if (gitLabNumber is not null)
            {
                return new MergedChange(Squash, gitLabNumber, commit.Parents[0], commit, subject);
            }
        }

        return null;
    }

    private static long? ParseNumber(string digits) => long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    [GeneratedRegex(@"^Merge pull request #(?<n>[0-9]{1,18}) from ", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubMergeSubject();

    [GeneratedRegex(@"\(#(?<n>[0-9]{1,18})\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SquashSuffix();

    [GeneratedRegex(@"^See merge request \S+!(?<n>[0-9]{1,18})\s*$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex GitLabMergeRequest();
}
