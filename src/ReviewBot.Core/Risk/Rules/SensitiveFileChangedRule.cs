using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7006: deployment/configuration and key material files changed.</summary>
public sealed class SensitiveFileChangedRule : IFileRule
{
    private static readonly string[] KeyExtensions = [".pfx", ".p12", ".snk", ".pem", ".key", ".jks", ".keystore"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB7006", RiskCategories.SupplyChain, Severity.Medium, "Sensitive file changed",
        "appsettings*.json, web.config, Dockerfile and key or certificate files (*.pfx, *.snk, *.pem, *.key) configure the deployed service or sign it: changes reach production settings; committing key material is raised to high. (Lock files such as packages.lock.json are written by restore: the dependency changes behind them are RB7001's.)");

    public bool NeedsContent(string path) => false;

    public void Inspect(FileChangeContext context)
    {
        var path = context.File.Path;
        var name = PathRules.FileName(path);
        if (KeyExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            var added = context.File.Status != FileStatus.Removed;
            context.ReportFile(this, $"key or certificate file {path} {PathRules.StatusVerb(context.File.Status)}"
                + (added ? ": key material in the repository" : ""), added ? Severity.High : null);
        }
        else if ((name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            || name.Equals("web.config", StringComparison.OrdinalIgnoreCase) || name.Equals("Dockerfile", StringComparison.Ordinal)
            || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase))
        {
            context.ReportFile(this, $"{path} {PathRules.StatusVerb(context.File.Status)}: deployment configuration");
        }
    }
}
