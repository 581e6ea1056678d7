namespace ReviewBot.Cli.Tests;

/// <summary>The real command tree run in this process, its output captured (line ends as "\n").</summary>
internal static class InProcessCli
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliRunner.Run(CliApp.BuildRoot(), args, stdout, stderr);
        return (code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }
}
