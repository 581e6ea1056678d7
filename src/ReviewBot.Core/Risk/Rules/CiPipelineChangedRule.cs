using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7004: CI/CD pipeline definitions changed.</summary>
public sealed class CiPipelineChangedRule : IFileRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB7004", RiskCategories.SupplyChain, Severity.High, "CI pipeline changed",
        ".github/workflows/**, .github/actions/**, .gitlab-ci.yml, azure-pipelines*.yml, .circleci/**, Jenkinsfile and .ci/** run with the repository's secrets and publish its artifacts: a change there can exfiltrate tokens or ship something else.");

    public bool NeedsContent(string path) => false;

    public void Inspect(FileChangeContext context)
    {
        if (IsPipeline(context.File.Path) || (context.File.PreviousPath is { } old && IsPipeline(old)))
        {
            context.ReportFile(this, $"pipeline {context.File.Path} {PathRules.StatusVerb(context.File.Status)}: runs with the repository's secrets");
        }
    }

    internal static bool IsPipeline(string path)
    {
        var name = PathRules.FileName(path);
        return path.StartsWith(".github/workflows/", StringComparison.OrdinalIgnoreCase) || path.StartsWith(".github/actions/", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(".circleci/", StringComparison.OrdinalIgnoreCase) || path.StartsWith(".ci/", StringComparison.OrdinalIgnoreCase)
            || name.Equals(".gitlab-ci.yml", StringComparison.OrdinalIgnoreCase) || name.Equals("Jenkinsfile", StringComparison.Ordinal)
            || (name.StartsWith("azure-pipelines", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            || name.Equals("action.yml", StringComparison.OrdinalIgnoreCase);
    }
}
