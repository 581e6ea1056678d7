using ReviewBot.Cli;

return CliRunner.Run(CliApp.BuildRoot(), args);
