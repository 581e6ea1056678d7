using System.Buffers;
using System.Globalization;
using System.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Git;

/// <summary>
/// File contents at both sides of a local range, read with ONE <c>git cat-file --batch</c> process per
/// <see cref="GetAsync"/> call. Changed files are read by the blob ids the diff reported (exact, whatever the
/// path's bytes); other paths by <c>&lt;commit&gt;:&lt;path&gt;</c> on the diff's base (the merge base) or head.
/// Submodules, missing files, directories and paths git cannot be asked for on one line are absent from the result.
/// </summary>
public sealed class GitBlobContents : IFileContentProvider
{
    private readonly GitRunner _git;
    private readonly string _baseTreeish;
    private readonly string _headCommit;
    private readonly IReadOnlyDictionary<FileRequest, string?> _known;

    internal GitBlobContents(GitRunner git, string baseTreeish, string headCommit, IReadOnlyDictionary<FileRequest, string?> known)
    {
        _git = git;
        _baseTreeish = baseTreeish;
        _headCommit = headCommit;
        _known = known;
    }

    /// <summary>How many <c>git cat-file</c> processes this provider has started (for tests and diagnostics).</summary>
    public int ProcessesStarted => _processesStarted;

    private int _processesStarted;

    public async Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
        => [.. (await GetWithIdsAsync(files, cancellationToken).ConfigureAwait(false)).Select(f => f.Content)];

    /// <summary>Like <see cref="GetAsync"/>, with the blob id of each content.</summary>
    internal async Task<IReadOnlyList<(FileContent Content, string BlobId)>> GetWithIdsAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        var wanted = new List<(FileRequest Request, string Spec)>();
        foreach (var request in files)
        {
            var spec = SpecFor(request);
            if (spec is not null)
            {
                wanted.Add((request, spec));
            }
        }

        if (wanted.Count == 0)
        {
            return [];
        }

        var input = new StringBuilder();
        foreach (var (_, spec) in wanted)
        {
            input.Append(spec).Append('\n');
        }

        Interlocked.Increment(ref _processesStarted);
        using var process = _git.Start(["cat-file", "--batch"]);
        using var registration = cancellationToken.Register(() => GitRunner.Kill(process));
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var writer = WriteAsync(process.StandardInput.BaseStream, GitText.Encode(input.ToString()), cancellationToken);
        var result = new List<(FileContent, string)>(wanted.Count);
        try
        {
            var reader = new BatchReader(process.StandardOutput.BaseStream);
            foreach (var (request, _) in wanted)
            {
                var (id, type, bytes) = await reader.ReadObjectAsync(cancellationToken).ConfigureAwait(false);
                if (type == "blob" && bytes is not null)
                {
                    result.Add((new FileContent(request.Path, request.Side, bytes), id));
                }
            }

            await writer.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stderr = await stderrTask.ConfigureAwait(false);
            throw new GitCommandException($"git cat-file --batch failed: {stderr.Trim()} {ex.Message}".Trim(), -1, ex);
        }
        finally
        {
            GitRunner.Kill(process);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    private string? SpecFor(FileRequest request)
    {
        if (_known.TryGetValue(request, out var id))
        {
            return id;
        }

        if (request.Path.Length == 0 || request.Path.Contains('\n') || request.Path.Contains('\0'))
        {
            return null;
        }

        return (request.Side == Side.Base ? _baseTreeish : _headCommit) + ":" + request.Path.TrimStart('/');
    }

    private static async Task WriteAsync(Stream stdin, byte[] input, CancellationToken cancellationToken)
    {
        try
        {
            await stdin.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            await stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the reader reports the failure
        }
    }

    /// <summary>Reads <c>&lt;oid&gt; &lt;type&gt; &lt;size&gt;\n&lt;bytes&gt;\n</c> or <c>&lt;spec&gt; missing\n</c> records.</summary>
    private sealed class BatchReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<(string Id, string? Type, byte[]? Bytes)> ReadObjectAsync(CancellationToken cancellationToken)
        {
            var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var parts = header.Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                // "<spec> missing", "<spec> ambiguous"
                return (parts[0], null, null);
            }

            if (size > Array.MaxLength - 1)
            {
                throw new IOException($"object {parts[0]} is too large ({size} bytes)");
            }

            var bytes = new byte[size];
            await ReadExactAsync(bytes, cancellationToken).ConfigureAwait(false);
            var newline = new byte[1];
            await ReadExactAsync(newline, cancellationToken).ConfigureAwait(false);
            return (parts[0], parts[1], bytes);
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new ArrayBufferWriter<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new EndOfStreamException("git cat-file ended early");
                }

                var span = _buffer.AsSpan(_start, _end - _start);
                var newline = span.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line.Write(span[..newline]);
                    _start += newline + 1;
                    return GitText.Decode(line.WrittenSpan);
                }

                line.Write(span);
                _start = _end;
            }
        }

        private async Task ReadExactAsync(byte[] target, CancellationToken cancellationToken)
        {
            var filled = 0;
            while (filled < target.Length)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new EndOfStreamException("git cat-file ended early");
                }

                var n = Math.Min(target.Length - filled, _end - _start);
                _buffer.AsSpan(_start, n).CopyTo(target.AsSpan(filled));
                _start += n;
                filled += n;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
