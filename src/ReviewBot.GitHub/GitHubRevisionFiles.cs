using System.Text;
using System.Text.Json;
using ReviewBot.Core.Ports;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub;

/// <summary>
/// A file's text at a revision of one repository, through GraphQL: all candidate paths in one request
/// (<c>p0: object(expression: "REV:path") …</c>). A repository that does not exist (or is not visible) has no files.
/// </summary>
public sealed class GitHubRevisionFiles(GitHubApi api, string repository) : IRevisionFiles
{
    public async Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubApi.Split(repository);
        var query = new StringBuilder("query($owner: String!, $name: String!");
        var variables = new Dictionary<string, object?> { ["owner"] = owner, ["name"] = name };
        for (var i = 0; i < paths.Count; i++)
        {
            query.Append($", $p{i}: String!");
            variables[$"p{i}"] = $"{revision}:{paths[i]}";
        }

        query.Append(") { repository(owner: $owner, name: $name) {");
        for (var i = 0; i < paths.Count; i++)
        {
            query.Append($" p{i}: object(expression: $p{i}) {{ ... on Blob {{ text oid isTruncated }} }}");
        }

        query.Append(" } }");
        var data = await api.GraphQLAsync(query.ToString(), variables, cancellationToken, allowNotFound: true);
        if (!data.TryGetProperty("repository", out var repo) || repo.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        for (var i = 0; i < paths.Count; i++)
        {
            if (!repo.TryGetProperty($"p{i}", out var obj) || obj.ValueKind != JsonValueKind.Object
                || !obj.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (obj.TryGetProperty("isTruncated", out var truncated) && truncated.ValueKind == JsonValueKind.True)
            {
                throw new InvalidOperationException($"{repository}:{paths[i]} is too large for GitHub to return");
            }

            return new RevisionFile(paths[i], text.GetString()!, obj.TryGetProperty("oid", out var oid) && oid.GetString() is { } id ? id : revision);
        }

        return null;
    }
}
