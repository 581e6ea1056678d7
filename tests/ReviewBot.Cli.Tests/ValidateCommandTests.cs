using System.CommandLine;
using ReviewBot.Cli.Commands;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary><c>reviewbot validate</c> over real files in a temporary directory.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("reviewbot-validate-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Out, string Err) Run(RootCommand root, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliRunner.Run(root, args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private RootCommand RootIn(string workingDirectory)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ValidateCommand.Create(workingDirectory));
        return root;
    }

    [Fact]
    public void Reads_github_reviewbot_yml_from_the_current_directory_by_default()
    {
        Write(".github/reviewbot.yml", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "issue-sketch.yml")));

        var (exit, output, error) = Run(RootIn(dir), "validate");

        Assert.Equal(0, exit);
        Assert.Equal(".github/reviewbot.yml: valid (4 rules, 2 groups)" + Environment.NewLine, output);
        Assert.Equal("", error);
    }

    [Fact]
    public void Without_a_file_it_checks_the_first_path_the_bot_itself_would_read()
    {
        Write(".reviewbot.yml", "version: 1\nrules: []\n");
        Write(".gitlab/reviewbot.yml", "version: 1\nrules: [\n");

        var (exit, _, error) = Run(RootIn(dir), "validate");

        Assert.Equal(2, exit);
        Assert.StartsWith(".gitlab/reviewbot.yml:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_default_is_valid_through_the_real_command_tree()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "rules", "default.yml");

        var (exit, output, _) = Run(CliApp.BuildRoot(), "validate", path);

        Assert.Equal(0, exit);
        Assert.Equal($"{path}: valid (4 rules, 1 group)" + Environment.NewLine, output);
    }

    [Fact]
    public void Prints_every_problem_as_file_line_col_message_and_exits_2()
    {
        Write("policy/bad.yml", """
            version: 1
            groups:
              seniors: { users: [alice] }
            rules:
              - name: AI changes
                if: { authorship: ai-authord }
                reqiure: { approvals: [{ group: senoirs }] }
              - name: risky
                if: { risk: "> hi" }
                require: { approvals: [{ group: senoirs }] }
            """);

        var (exit, output, error) = Run(RootIn(dir), "validate", "policy/bad.yml");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(
            [
                "policy/bad.yml:5:5: rule 'AI changes' does nothing; give it 'require', 'block', 'labels' or 'request'",
                "policy/bad.yml:6:23: unknown authorship 'ai-authord'; allowed: human, ai-assisted, ai-authored, automation (did you mean 'ai-authored'?)",
                "policy/bad.yml:7:5: unknown key 'reqiure' in rule; allowed: name, if, require, block, labels, request, mode, escalate (did you mean 'require'?)",
                "policy/bad.yml:9:17: bad risk comparison '> hi'; write an operator (>=, <=, ==, !=, >, <) and a level (none, low, medium, high, critical), e.g. \">= high\" (did you mean 'high'?)",
                "policy/bad.yml:10:37: undefined group 'senoirs'; defined: seniors",
            ],
            error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public void Missing_file_is_a_clear_usage_error()
    {
        var (exit, output, error) = Run(RootIn(dir), "validate");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("reviewbot: .github/reviewbot.yml: no such file (looked for ", error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir, ".github", "reviewbot.yml"), error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_a_usage_error()
    {
        Directory.CreateDirectory(Path.Combine(dir, ".github"));

        var (exit, _, error) = Run(RootIn(dir), "validate", ".github");

        Assert.Equal(2, exit);
        Assert.Equal("reviewbot: .github: is a directory; give the rules file (e.g. .github/reviewbot.yml)" + Environment.NewLine, error);
    }

    [Fact]
    public void A_huge_file_is_refused_without_parsing()
    {
        Write("huge.yml", "version: 1\n# " + new string('x', 2 * 1024 * 1024));

        var (exit, _, error) = Run(RootIn(dir), "validate", "huge.yml");

        Assert.Equal(2, exit);
        Assert.Equal("huge.yml:1:1: the rules file is 2048 KiB; the limit is 256 KiB" + Environment.NewLine, error);
    }

    [Fact]
    public void Hostile_yaml_gets_a_positioned_error()
    {
        Write("bomb.yml", "version: 1\na: &a [x, x]\nb: [*a, *a]\nrules: []\n");

        var (exit, _, error) = Run(RootIn(dir), "validate", "bomb.yml");

        Assert.Equal(2, exit);
        Assert.Equal(
            ["bomb.yml:2:4: anchors (&a) are not allowed in rules files; write the value out", "bomb.yml:3:5: aliases (*a) are not allowed in rules files; write the value out"],
            error.TrimEnd().Split(Environment.NewLine));
    }
}
