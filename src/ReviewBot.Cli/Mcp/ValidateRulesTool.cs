using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Cli.Commands;
using ReviewBot.Core.Policy;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Mcp;

/// <summary><c>validate_rules</c>: a rules text → its positioned errors, as <c>reviewbot validate</c> reports them.</summary>
[McpServerToolType]
internal sealed class ValidateRulesTool
{
    [McpServerTool(Name = "validate_rules", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Check a ReviewBot rules file (YAML text): every problem with its file:line:col position and the allowed values, or valid.")]
    public Task<CallToolResult> ValidateAsync(
        [Description("The rules file's text (YAML).")] string text,
        [Description("The file name used in positions (default .github/reviewbot.yml).")] string? path = null)
        => ToolAnswer.RunAsync(() =>
        {
            if (text is null)
            {
                throw new UsageException("text: give the rules file's YAML text");
            }

            var result = RulesParser.Parse(text, string.IsNullOrWhiteSpace(path) ? RulesLocator.DefaultPaths[0] : path);
            return Task.FromResult(new RulesValidation(
                result.IsValid,
                result.Rules?.Rules.Count ?? 0,
                result.Rules?.Groups.Count ?? 0,
                result.Errors.Select(CheckError.From).ToList()));
        });
}

/// <summary>The answer of <c>validate_rules</c>; <c>errors</c> in the shape of <c>reviewbot check --format json</c>.</summary>
public sealed record RulesValidation(bool Valid, int Rules, int Groups, IReadOnlyList<CheckError> Errors);
