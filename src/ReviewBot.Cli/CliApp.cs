using System.CommandLine;

namespace ReviewBot.Cli;

/// <summary>The `reviewbot` command tree. Tests build it and run it through <see cref="CliRunner"/>.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("ReviewBot: classify, analyse and gate AI-authored pull requests.");

        // One line per command; each command lives in Commands/<Name>Command.cs with a static Create().
        root.Subcommands.Add(Commands.ClassifyCommand.Create());
        root.Subcommands.Add(Commands.ValidateCommand.Create());
        root.Subcommands.Add(Commands.ServeCommand.Create());
        root.Subcommands.Add(Commands.AnalyzeCommand.Create());
        root.Subcommands.Add(Commands.CheckCommand.Create());
        root.Subcommands.Add(Commands.AuditCommand.Create());
        root.Subcommands.Add(Commands.QueueCommand.Create());
        root.Subcommands.Add(Commands.SimulateCommand.Create());
        root.Subcommands.Add(Commands.BacktestCommand.Create());
        root.Subcommands.Add(Commands.McpCommand.Create());
        return root;
    }

    /// <summary>The writer a command prints to (captured by tests via CliRunner.Run(..., stdout, stderr)).</summary>
    public static TextWriter Out(ParseResult parse) => parse.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;
}
