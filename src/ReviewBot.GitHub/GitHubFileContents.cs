using System.Text;
using System.Text.Json;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub;

/// <summary>
/// File contents at base and head through GraphQL: one query fetches up to <see cref="BatchSize"/> blobs
/// (<c>object(expression: "SHA:path") { ... on Blob { text isBinary isTruncated } }</c>), so a 100-file pull request
/// needs two requests for both sides. Binary and truncated blobs are absent from the answer. Results are cached.
/// </summary>
public sealed class GitHubFileContents(GitHubApi api, string repository, string baseSha, string headSha) : IFileContentProvider
{
    public const int BatchSize = 100;

    private readonly Dictionary<FileRequest, FileContent?> _cache = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var missing = files.Distinct().Where(f => !_cache.ContainsKey(f)).ToList();
            foreach (var batch in missing.Chunk(BatchSize))
            {
                await FetchAsync(batch, cancellationToken);
            }

            return [.. files.Select(f => _cache.GetValueOrDefault(f)).OfType<FileContent>()];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FetchAsync(FileRequest[] batch, CancellationToken cancellationToken)
    {
        var (owner, name) = GitHubApi.Split(repository);
        var query = new StringBuilder("query($owner: String!, $name: String!");
        var variables = new Dictionary<string, object?> { ["owner"] = owner, ["name"] = name };
        for (var i = 0; i < batch.Length; i++)
        {
            query.Append($", $e{i}: String!");
            variables[$"e{i}"] = (batch[i].Side == Side.Base ? baseSha : headSha) + ":" + batch[i].Path;
        }

        query.Append(") { repository(owner: $owner, name: $name) {");
        for (var i = 0; i < batch.Length; i++)
        {
            query.Append($" f{i}: object(expression: $e{i}) {{ ... on Blob {{ text isBinary isTruncated }} }}");
        }

        query.Append(" } }");
        var data = await api.GraphQLAsync(query.ToString(), variables, cancellationToken);
        var repo = data.GetProperty("repository");
        for (var i = 0; i < batch.Length; i++)
        {
            FileContent? content = null;
            if (repo.TryGetProperty($"f{i}", out var blob) && blob.ValueKind == JsonValueKind.Object
                && blob.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                && !(blob.TryGetProperty("isTruncated", out var truncated) && truncated.ValueKind == JsonValueKind.True))
            {
                content = new FileContent(batch[i].Path, batch[i].Side, Encoding.UTF8.GetBytes(text.GetString()!));
            }

            _cache[batch[i]] = content;
        }
    }
}
