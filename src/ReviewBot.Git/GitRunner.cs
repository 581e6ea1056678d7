using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ReviewBot.Git;

/// <summary>The outcome of one git invocation: exit code, raw stdout bytes, stderr text.</summary>
internal sealed record GitResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => GitText.Decode(Stdout);
}

/// <summary>
/// Runs the <c>git</c> executable in one repository. stdout, stderr and stdin are pumped concurrently, so a
/// large output never deadlocks; cancellation kills the process. Settings that change output formats
/// (quoting, colours, prefixes, signatures, external diff drivers) are pinned on every call, and
/// environment variables that would redirect git to another repository are removed.
/// </summary>
internal sealed class GitRunner(string workingDirectory)
{
    private static readonly string[] PinnedConfig =
    [
        "core.quotePath=false",
        "color.ui=never",
        "diff.noprefix=false",
        "diff.mnemonicPrefix=false",
        "diff.relative=false",
        "log.showSignature=false",
        "core.pager=cat",
    ];

    private static readonly string[] RedirectingVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_PAGER",
    ];

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Runs git and returns its result whatever the exit code.</summary>
    public async Task<GitResult> RunAsync(IReadOnlyList<string> args, byte[]? stdin = null, CancellationToken cancellationToken = default)
    {
        using var process = Start(args);
        var stdoutTask = ReadAllAsync(process.StandardOutput.BaseStream, cancellationToken);
        var stderrTask = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdinTask = WriteAndCloseAsync(process.StandardInput.BaseStream, stdin, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            await stdinTask.ConfigureAwait(false);
            return new GitResult(process.ExitCode, stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Runs git and returns stdout; a non-zero exit becomes a <see cref="GitCommandException"/> with git's message.</summary>
    public async Task<byte[]> RunCheckedAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(args, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failure(args, result);
        }

        return result.Stdout;
    }

    public static GitCommandException Failure(IReadOnlyList<string> args, GitResult result)
    {
        var message = FirstLine(result.Stderr);
        return new GitCommandException(
            $"git {args.FirstOrDefault(a => !a.StartsWith('-'))} failed (exit {result.ExitCode}): {(message.Length == 0 ? "no message" : message)}",
            result.ExitCode);
    }

    /// <summary>Starts a long-lived git process (e.g. <c>cat-file --batch</c>) with redirected streams.</summary>
    public Process Start(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var setting in PinnedConfig)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(setting);
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var name in RedirectingVariables)
        {
            psi.Environment.Remove(name);
        }

        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        psi.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(psi) ?? throw new GitCommandException("could not start git");
        }
        catch (Win32Exception ex)
        {
            throw new GitCommandException($"could not run git (is it installed and on PATH?): {ex.Message}", -1, ex);
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (Win32Exception)
        {
            // could not be killed (already exiting)
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteAndCloseAsync(Stream stream, byte[]? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is { Length: > 0 })
            {
                await stream.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // git exited without reading all input; its exit code and stderr tell why
        }
    }

    internal static string FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed.StartsWith("fatal: ", StringComparison.Ordinal) ? trimmed[7..] : trimmed;
            }
        }

        return "";
    }
}

/// <summary>Decoding of git's bytes: UTF-8, with invalid sequences shown as U+FFFD rather than failing.</summary>
internal static class GitText
{
    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public static byte[] Encode(string text) => Encoding.UTF8.GetBytes(text);
}
