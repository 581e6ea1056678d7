using System.CommandLine;
using ReviewBot.Cli;

var root = new RootCommand("ReviewBot: classify, analyse and gate AI-authored pull requests.");
// Each command lives in Commands/<Name>Command.cs and registers itself here.

return CliRunner.Run(root, args);
