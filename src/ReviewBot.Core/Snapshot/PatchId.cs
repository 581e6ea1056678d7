using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Core.Snapshot;

/// <summary>One file of a diff as the platforms report it: unified patch text, else the new blob's id (binary, too large).</summary>
public sealed record PatchFile(string Path, string? PreviousPath, string Status, string? Patch, string? BlobSha);

/// <summary>
/// The identity of a pull request's own diff, in the spirit of <c>git patch-id</c>: the files' paths and statuses and
/// their patch lines with line numbers and whitespace removed, hashed. A rebase or an update from the target branch
/// that leaves the change itself alone keeps it; any change to what the pull request adds or removes changes it.
/// </summary>
public static class PatchId
{
    /// <summary>The patch id of a diff; null when a file has neither patch text nor a blob id (the diff cannot be told).</summary>
    public static string? Of(IEnumerable<PatchFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var text = new StringBuilder();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.PreviousPath, StringComparer.Ordinal))
        {
            text.Append("file ").Append(file.Path).Append('\0').Append(file.PreviousPath).Append('\0').Append(file.Status).Append('\n');
            if (file.Patch is { } patch)
            {
                AppendPatch(text, patch);
            }
            else if (file.BlobSha is { Length: > 0 } blob)
            {
                text.Append("blob ").Append(blob).Append('\n');
            }
            else
            {
                return null;
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void AppendPatch(StringBuilder text, string patch)
    {
        foreach (var line in patch.Split('\n'))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                text.Append("@@\n"); // hunk positions move with the base; the hunk itself is what matters
                continue;
            }

            foreach (var c in line)
            {
                if (!char.IsWhiteSpace(c))
                {
                    text.Append(c);
                }
            }

            text.Append('\n');
        }
    }
}
