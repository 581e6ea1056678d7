namespace ReviewBot.Core.Snapshot;

public enum Side
{
    Base,
    Head,
}

/// <summary>A request for one file's bytes at one side of the change.</summary>
public readonly record struct FileRequest(string Path, Side Side);

/// <summary>Raw bytes of a file at one side. Decoding is the reader's business (files may not be UTF-8).</summary>
public sealed record FileContent(string Path, Side Side, ReadOnlyMemory<byte> Bytes)
{
    public int Length => Bytes.Length;
}

/// <summary>
/// Lazily supplies file contents at base and head. Implementations batch: one call may fetch many files
/// (GraphQL blobs on GitHub, one <c>git cat-file --batch</c> locally). Missing files are simply absent
/// from the result.
/// </summary>
public interface IFileContentProvider
{
    Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default);
}

/// <summary>A provider for snapshots that carry no content (contents unknown).</summary>
public sealed class NoFileContents : IFileContentProvider
{
    public static NoFileContents Instance { get; } = new();

    public Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<FileContent>>([]);
}

/// <summary>Contents held in memory: recorded snapshots, replays and unit tests.</summary>
public sealed class InMemoryFileContents(IReadOnlyDictionary<FileRequest, byte[]> files) : IFileContentProvider
{
    public Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files1, CancellationToken cancellationToken = default)
    {
        var result = new List<FileContent>(files1.Count);
        foreach (var request in files1)
        {
            if (files.TryGetValue(request, out var bytes))
            {
                result.Add(new FileContent(request.Path, request.Side, bytes));
            }
        }

        return Task.FromResult<IReadOnlyList<FileContent>>(result);
    }
}
