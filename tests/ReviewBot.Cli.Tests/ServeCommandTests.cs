using ReviewBot.Cli;

namespace ReviewBot.Cli.Tests;

/// <summary>Tests that set process environment variables run alone.</summary>
[CollectionDefinition("process environment", DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

[Collection("process environment")]
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

    [Fact]
    public void Serve_with_a_gitlab_section_but_no_gitlab_secret_exits_2_with_one_line()
    {
        var names = new Dictionary<string, string?>
        {
            ["ReviewBot__GitHub__Enabled"] = "false",
            ["ReviewBot__GitLab__Token"] = "glpat-serve-test-token",
            ["ReviewBot__Storage__SqlitePath"] = Path.Combine(Path.GetTempPath(), $"reviewbot-serve-{Guid.NewGuid():N}.db"),
        };
        var saved = names.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in names)
            {
                Environment.SetEnvironmentVariable(k, v);
            }

            var stderr = new StringWriter();
            var code = CliRunner.Run(CliApp.BuildRoot(), ["serve", "--urls", "http://127.0.0.1:0"], new StringWriter(), stderr);

            Assert.Equal(ExitCodes.Usage, code);
            var lines = stderr.ToString().TrimEnd().Split(Environment.NewLine);
            var line = Assert.Single(lines);
            Assert.StartsWith("reviewbot: ReviewBot cannot start: ReviewBot:GitLab:WebhookSecret", line);
            Assert.DoesNotContain("glpat-serve-test-token", line);
        }
        finally
        {
            foreach (var (k, v) in saved)
            {
                Environment.SetEnvironmentVariable(k, v);
            }
        }
    }
}
