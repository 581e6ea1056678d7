namespace ReviewBot.Core.Policy;

/// <summary>The built-in policy (rules/default.yml, embedded): used when there is neither a repository nor an organisation rules file.</summary>
public static class DefaultPolicy
{
    /// <summary>How the built-in policy is named in messages and in the audit log.</summary>
    public const string Path = "built-in:default.yml";

    /// <summary>The <c>Origin</c> of the built-in policy as a rules source: its rules are of the built-in layer.</summary>
    public const string Origin = "built-in";

    private const string ResourceName = "ReviewBot.Core.Policy.default.yml";

    /// <summary>The YAML text of rules/default.yml.</summary>
    public static string Text { get; } = Load();

    /// <summary>The built-in policy, parsed (it is valid: a test pins it).</summary>
    public static RulesFile Rules => Parsed.Value;

    private static readonly Lazy<RulesFile> Parsed = new(() => RulesParser.Parse(Text, Path).Rules
        ?? throw new InvalidOperationException("the built-in rules/default.yml is invalid; run its tests"));

    private static string Load()
    {
        using var stream = typeof(DefaultPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from ReviewBot.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
