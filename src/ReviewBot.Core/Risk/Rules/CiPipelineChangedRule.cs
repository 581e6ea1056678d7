using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7004: CI/CD pipeline definitions changed.</summary>
public sealed class CiPipelineChangedRule : IFileRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB7004", RiskCategories.SupplyChain, Severity.High, "CI pipeline changed",
        ".github/workflows/**, .github/actions/**, .gitlab-ci.yml, azure-pipelines*.yml, .circleci/**, Jenkinsfile and .ci/** run with the repository's secrets and publish its artifacts: a change there can exfiltrate tokens or ship something else. A change that only moves versions (SDK, `@v4` → `@v5`) is low; a changed commit pin is not a version and stays high.");

    public bool NeedsContent(string path) => IsPipeline(path);

    public void Inspect(FileChangeContext context)
    {
        if (IsPipeline(context.File.Path) || (context.File.PreviousPath is { } old && IsPipeline(old)))
        {
            if (VersionBump.Only(context.BaseText, context.HeadText))
            {
                context.ReportFile(this, $"pipeline {context.File.Path} changed: only versions moved (SDK, action or tool versions)", Severity.Low);
            }
            else
            {
                context.ReportFile(this, $"pipeline {context.File.Path} {PathRules.StatusVerb(context.File.Status)}: runs with the repository's secrets");
            }
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
