using System.Text;
using ReviewBot.Core.Ports;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab;

/// <summary>A file's text at a revision (commit SHA, or "HEAD" for the default branch) of one project, through the repository files API (one request per candidate path, in order).</summary>
public sealed class GitLabRevisionFiles(GitLabClient client, string project) : IRevisionFiles
{
    public async Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
    {
        foreach (var path in paths)
        {
            var file = await client.GetFileAsync(project, path, revision, cancellationToken).ConfigureAwait(false);
            if (file?.Content is null)
            {
                continue;
            }

            var text = file.Encoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(file.Content)) : file.Content;
            return new RevisionFile(path, text, file.BlobId ?? file.CommitId ?? file.LastCommitId ?? revision);
        }

        return null;
    }
}
