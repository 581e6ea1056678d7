using System.CommandLine;
using ReviewBot.Core.Policy;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot validate [FILE] [--org-rules ORG]</c>: parse a rules file and report every problem as
/// <c>file:line:col: message</c> on stderr (exit 2), or one "valid" line on stdout (exit 0). FILE defaults to the first
/// of the rules locator's paths (<see cref="RulesLocator.DefaultPaths"/>) that exists in the working directory. With
/// <c>--org-rules</c>, FILE is judged as a repository's file under the organisation's (<see cref="PolicyLayers"/>):
/// what it may not add is refused, positioned in FILE.
/// </summary>
public static class ValidateCommand
{
    private static readonly string DefaultFile = RulesLocator.DefaultPaths[0];

    /// <param name="workingDirectory">Where relative paths start (the process's current directory when null).</param>
    public static Command Create(string? workingDirectory = null)
    {
        var file = new Argument<string>("FILE")
        {
            Description = $"The rules file to check (default: the first of {string.Join(", ", RulesLocator.DefaultPaths)} in the current directory).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var orgRules = LocalRules.OrgRulesOption();
        orgRules.HelpName = "ORG"; // FILE names the file being checked
        var command = new Command("validate", "Check a rules file: every problem as file:line:col: message (exit 2), or 'valid' (exit 0).");
        command.Arguments.Add(file);
        command.Options.Add(orgRules);
        command.SetAction(parse =>
        {
            var directory = workingDirectory ?? Directory.GetCurrentDirectory();
            return Run(parse, parse.GetValue(file) ?? FirstExisting(directory), parse.GetValue(orgRules), directory);
        });
        return command;
    }

    /// <summary>The first of the paths the rules locator looks for that exists in <paramref name="directory"/>, else the first.</summary>
    private static string FirstExisting(string directory)
        => RulesLocator.DefaultPaths.FirstOrDefault(path => File.Exists(Path.Combine(directory, path))) ?? DefaultFile;

    private static int Run(ParseResult parse, string file, string? orgFile, string workingDirectory)
    {
        RulesFile? organisation = null;
        if (orgFile is not null)
        {
            var orgResult = Parse(orgFile, workingDirectory);
            if (!orgResult.IsValid)
            {
                return Report(parse, orgResult);
            }

            organisation = orgResult.Rules!;
        }

        var result = Parse(file, workingDirectory, organisation);
        if (!result.IsValid)
        {
            return Report(parse, result);
        }

        var rules = result.Rules!;
        var summary = organisation is null
            ? $"{Count(rules.Rules.Count, "rule")}, {Count(rules.Groups.Count, "group")}"
            : $"under {orgFile}: adds {Count(rules.Rules.Count - organisation.Rules.Count, "rule")} and {Count(rules.Groups.Count - organisation.Groups.Count, "group")} to the organisation's {Count(organisation.Rules.Count, "rule")}";
        CliApp.Out(parse).WriteLine($"{file}: valid ({summary})");
        return ExitCodes.Success;
    }

    /// <summary>A file parsed on its own, or as a repository's file under the organisation's.</summary>
    private static RulesParseResult Parse(string file, string workingDirectory, RulesFile? organisation = null)
    {
        var fullPath = Path.GetFullPath(file, workingDirectory);
        if (TooLarge(file, fullPath) is { } tooLarge)
        {
            return tooLarge;
        }

        var text = Read(file, fullPath);
        return organisation is null ? RulesParser.Parse(text, file) : PolicyLayers.Parse(organisation, text, file);
    }

    private static int Report(ParseResult parse, RulesParseResult result)
    {
        var error = CliApp.Error(parse);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        return ExitCodes.Usage;
    }

    private static string Read(string file, string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new UsageException($"{file}: is a directory; give the rules file (e.g. {DefaultFile})");
        }

        if (!File.Exists(fullPath))
        {
            throw new UsageException($"{file}: no such file (looked for {fullPath}); give a rules file path, e.g. reviewbot validate {DefaultFile}");
        }

        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{file}: cannot be read: {ex.Message}");
        }
    }

    /// <summary>Refuses absurdly large files before reading them (UTF-8 has at most 4 bytes a character); the parser enforces the exact limit.</summary>
    private static RulesParseResult? TooLarge(string file, string fullPath)
    {
        var limit = RulesLimits.Default.MaxCharacters;
        var length = File.Exists(fullPath) ? new FileInfo(fullPath).Length : 0;
        return length > 4L * limit
            ? new RulesParseResult(null, [new(file, 1, 1, $"the rules file is {length / 1024} KiB; the limit is {limit / 1024} KiB")])
            : null;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
