using System.Text;
using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>Hostile documents are refused with one clear, positioned error, without crashing or hanging.</summary>
public sealed class HostileYamlTests
{
    private static ReviewBot.Core.Decisions.RulesError SingleError(string yaml)
    {
        var result = RulesParser.Parse(yaml, "evil.yml");
        Assert.Null(result.Rules);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Alias_bomb_is_refused_at_the_first_alias()
    {
        var yaml = new StringBuilder("version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++)
        {
            var prev = (char)('a' + i);
            var next = (char)('b' + i);
            yaml.Append($"{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
        }

        var errors = RulesParser.Parse(yaml.ToString(), "evil.yml").Errors;
        Assert.Contains(errors, e => e is { Line: 3, Column: 8, Message: "aliases (*a) are not allowed in rules files; write the value out" });
        Assert.Contains(errors, e => e is { Line: 2, Column: 4, Message: "anchors (&a) are not allowed in rules files; write the value out" });
    }

    [Fact]
    public void Anchor_on_its_own_is_refused_with_position()
    {
        var result = RulesParser.Parse("version: 1\nrules:\n  - &r { name: x, labels: [y] }\n", "r.yml");
        Assert.Equal(["r.yml:3:5: anchors (&r) are not allowed in rules files; write the value out"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Deep_flow_nesting_is_refused_at_the_limit()
    {
        var yaml = "version: 1\nrules: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var error = SingleError(yaml);
        Assert.Equal("nesting deeper than 64 levels is not allowed", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(8 + 63, error.Column);
    }

    [Fact]
    public void Deep_block_nesting_is_refused()
    {
        var yaml = new StringBuilder("version: 1\n");
        for (var i = 0; i < 200; i++)
        {
            yaml.Append(' ', i).Append("k:\n");
        }

        var error = SingleError(yaml.ToString());
        Assert.Equal("nesting deeper than 64 levels is not allowed", error.Message);
    }

    [Fact]
    public void Huge_document_is_refused_before_parsing()
    {
        var yaml = "version: 1\nrules: []\n# " + new string('x', 300 * 1024) + "\n";
        var error = SingleError(yaml);
        Assert.Equal("evil.yml:1:1: the rules file is 300 KiB; the limit is 256 KiB", error.ToString());
    }

    [Fact]
    public void Too_many_values_are_refused()
    {
        var yaml = "version: 1\nrules:\n  - name: x\n    labels: [" + string.Join(",", Enumerable.Repeat("a", 30_000)) + "]\n";
        var error = SingleError(yaml);
        Assert.Equal("the rules file has more than 20000 values; the limit is 20000", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Limits_can_be_tightened()
    {
        var result = RulesParser.Parse("version: 1\nrules: [[[]]]\n", "r.yml", new RulesLimits { MaxDepth = 2 });
        Assert.Equal(["r.yml:2:9: nesting deeper than 2 levels is not allowed"], result.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("version: 1\nrules: !!binary aGVsbG8=\n")]
    [InlineData("\t\tversion: 1\n")]
    [InlineData("version: 1\n? [complex, key]\n: value\n")]
    [InlineData("{{{{{{")]
    [InlineData("version: 1\nrules:\n  - name: \"\\uZZZZ\"\n")]
    [InlineData("\0\0\0")]
    [InlineData("%YAML 1.1\n%YAML 1.1\n---\nversion: 1\n")]
    public void Malformed_input_is_an_error_not_an_exception(string yaml)
    {
        var result = RulesParser.Parse(yaml, "r.yml");
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString()));
    }

    [Fact]
    public void A_yaml_library_failure_is_still_a_positioned_error()
    {
        // YamlDotNet 16.3 throws InvalidOperationException (not a YamlException) on this flow mapping.
        var error = SingleError("version: 1\nrules: { a\nb: c }\n");
        Assert.Equal("evil.yml:2:8: invalid YAML after this point (the YAML reader failed: Operation is not valid due to the current state of the object.)", error.ToString());
    }

    [Fact]
    public void Mangled_versions_of_a_real_file_never_throw()
    {
        var source = RulesParserTests.IssueSketch;
        var alphabet = "{}[]:,-?&*!|>'\"%@`#\t\n \\~=<^$().0aZ\u00e9\uFEFF\0";
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var chars = source.ToCharArray();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var result = RulesParser.Parse(text, "m.yml");
            Assert.True(result.IsValid == (result.Errors.Count == 0), text);
            Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1 && e.Message.Length > 0, $"{e} in:\n{text}"));
        }
    }
}
