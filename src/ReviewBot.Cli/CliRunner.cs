using System.CommandLine;

namespace ReviewBot.Cli;

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Requirements not met (check), findings over a threshold, or a replayed decision that differs (audit replay).</summary>
    public const int NotMet = 1;

    /// <summary>Usage or configuration error: unknown ref, bad rules, bad flags.</summary>
    public const int Usage = 2;
}

/// <summary>Thrown by commands for expected user errors: printed as one line, exit 2, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);

public static class CliRunner
{
    public static int Run(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"reviewbot: {e.Message}");
            }

            error.WriteLine("Run 'reviewbot --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // SIGTERM / Ctrl+C are left to the process (and to `serve`'s host, which drains its queue worker for
            // ReviewBot:Worker:DrainTimeout): System.CommandLine would otherwise end the process after 2 s.
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException ex)
        {
            error.WriteLine($"reviewbot: {ex.Message}");
            return ExitCodes.Usage;
        }
    }
}
