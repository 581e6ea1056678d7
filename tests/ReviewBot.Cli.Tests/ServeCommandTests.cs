using ReviewBot.Cli;

namespace ReviewBot.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_without_a_github_webhook_secret_exits_2_with_the_reason()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = CliRunner.Run(CliApp.BuildRoot(), ["serve", "--urls", "http://127.0.0.1:0"], stdout, stderr);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("ReviewBot:GitHub:WebhookSecret is not set", stderr.ToString());
    }

    [Fact]
    public void Serve_is_listed_with_its_urls_option()
    {
        var stdout = new StringWriter();

        var code = CliRunner.Run(CliApp.BuildRoot(), ["serve", "--help"], stdout, new StringWriter());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("--urls", stdout.ToString());
    }
}
