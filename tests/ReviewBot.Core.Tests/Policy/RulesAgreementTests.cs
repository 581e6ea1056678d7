using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>Parser, JSON schema, rules/README.md, default.yml and examples agree with each other.</summary>
public sealed partial class RulesAgreementTests
{
    private static readonly string RulesDir = Path.Combine(TestPaths.RepoRoot, "rules");

    public static TheoryData<string> RulesFiles()
    {
        var data = new TheoryData<string>();
        data.Add("default.yml");
        foreach (var file in Directory.GetFiles(Path.Combine(RulesDir, "examples"), "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.Combine("examples", Path.GetFileName(file)));
        }

        return data;
    }

    private static JsonObject Schema() => JsonNode.Parse(File.ReadAllText(Path.Combine(RulesDir, "reviewbot.schema.json")))!.AsObject();

    /// <summary>The property names of a schema object: the root, or a definition.</summary>
    private static IReadOnlyList<string> SchemaKeys(string section)
    {
        var schema = Schema();
        var node = section == "root" ? schema : schema["definitions"]![section]!.AsObject();
        return node["properties"]!.AsObject().Select(p => p.Key).ToList();
    }

    /// <summary>The keys documented in rules/README.md: first-column backticked names of the table after &lt;!-- keys: section --&gt;.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadmeSections()
    {
        var lines = File.ReadAllLines(Path.Combine(RulesDir, "README.md"));
        var sections = new Dictionary<string, IReadOnlyList<string>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i]);
            if (!marker.Success)
            {
                continue;
            }

            var keys = new List<string>();
            for (var j = i + 1; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                if (Row().Match(lines[j]) is { Success: true } row)
                {
                    keys.Add(row.Groups[1].Value);
                }
            }

            sections.Add(marker.Groups[1].Value, keys);
        }

        return sections;
    }

    [Fact]
    public void Schema_declares_exactly_the_keys_the_parser_accepts()
    {
        foreach (var (section, keys) in RulesKeys.Sections)
        {
            Assert.True(keys.Order().SequenceEqual(SchemaKeys(section).Order()), $"schema section '{section}': parser accepts [{string.Join(", ", keys.Order())}], schema has [{string.Join(", ", SchemaKeys(section).Order())}]");
        }
    }

    [Fact]
    public void Readme_documents_exactly_the_keys_the_parser_accepts()
    {
        var readme = ReadmeSections();
        Assert.Equal(RulesKeys.Sections.Keys.Order(), readme.Keys.Order());
        foreach (var (section, keys) in RulesKeys.Sections)
        {
            Assert.True(keys.Order().SequenceEqual(readme[section].Order()), $"README section '{section}': parser accepts [{string.Join(", ", keys.Order())}], README has [{string.Join(", ", readme[section].Order())}]");
        }
    }

    [Fact]
    public void Schema_and_readme_name_the_same_enumerations_as_the_parser()
    {
        var definitions = Schema()["definitions"]!;
        Assert.Equal(RulesKeys.AuthorshipKinds, definitions["authorshipKind"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(RulesKeys.Severities, definitions["risk"]!["properties"]!["severities"]!["additionalProperties"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(RiskRuleCatalog.Descriptors.Select(d => d.Id), definitions["riskRuleId"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(RulesKeys.RuleModes, definitions["rule"]!["properties"]!["mode"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Threshold names: the schema checks their shape, the parser the names.
        var thresholdPattern = new Regex(definitions["risk"]!["properties"]!["thresholds"]!["propertyNames"]!["pattern"]!.GetValue<string>());
        Assert.All(RiskThresholds.Defaults.Keys, k => Assert.Matches(thresholdPattern, k));
        var riskPattern = definitions["riskComparison"]!["pattern"]!.GetValue<string>();
        Assert.Contains(string.Join("|", RulesKeys.RiskLevels), riskPattern, StringComparison.Ordinal);

        var readme = File.ReadAllText(Path.Combine(RulesDir, "README.md"));
        foreach (var value in RulesKeys.AuthorshipKinds.Concat(RulesKeys.RuleModes).Concat(RulesKeys.RiskLevels).Concat(RulesKeys.Severities).Concat(ValueComparison<int>.OperatorTokens).Concat(RiskRuleCatalog.Descriptors.Select(d => d.Category).Distinct()))
        {
            Assert.Contains($"`{value}`", readme, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RulesFiles))]
    public void Default_and_examples_parse_without_errors(string file)
    {
        var result = RulesParser.Parse(File.ReadAllText(Path.Combine(RulesDir, file)), file);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.NotEmpty(result.Rules!.Rules);
    }

    [Theory]
    [MemberData(nameof(RulesFiles))]
    public async Task Default_and_examples_validate_against_the_schema(string file)
    {
        var schema = await JsonSchema.FromJsonAsync(Schema().ToJsonString());
        var json = YamlToJson(File.ReadAllText(Path.Combine(RulesDir, file)));
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("version: 1\nrules:\n  - name: x\n    reqiure: { checks: [a] }\n")]
    [InlineData("version: 2\nrules: []\n")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { risk: \">> high\" }\n    labels: [a]\n")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: { approvals: [{ group: g, users: [a] }] }\n")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { authorship: robot }\n    labels: [a]\n")]
    [InlineData("version: 1\nrules:\n  - name: x\n")]
    public async Task Schema_and_parser_both_reject_bad_files(string yaml)
    {
        Assert.False(RulesParser.Parse(yaml, "r.yml").IsValid);
        var schema = await JsonSchema.FromJsonAsync(Schema().ToJsonString());
        Assert.NotEmpty(schema.Validate(YamlToJson(yaml)));
    }

    [Fact]
    public void The_embedded_default_policy_is_rules_default_yml()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RulesDir, "default.yml")), DefaultPolicy.Text);
        Assert.Equal("built-in:default.yml", DefaultPolicy.Path);
        Assert.Equal(DefaultPolicy.Path, DefaultPolicy.Rules.Path);
        Assert.True(DefaultPolicy.Rules.Groups["reviewers"].Anyone);
    }

    [Fact]
    public void The_issue_sketch_example_is_the_sketch_the_parser_tests_pin()
    {
        var example = File.ReadAllText(Path.Combine(RulesDir, "examples", "issue-sketch.yml")).ReplaceLineEndings("\n");
        Assert.EndsWith(RulesParserTests.IssueSketch.ReplaceLineEndings("\n") + "\n", example, StringComparison.Ordinal);
    }

    /// <summary>YAML → JSON with YAML 1.2 core typing of plain scalars (what an editor's schema validation sees).</summary>
    private static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Convert(YamlDotNet.RepresentationModel.YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Plain(string value)
    {
        if (value is "" or "~" or "null")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Number().IsMatch(value)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    [GeneratedRegex(@"^<!-- keys: ([a-z]+) -->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\| `([a-z_]+)` \|")]
    private static partial Regex Row();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Number();
}
