using System.Globalization;
using System.Reflection;

namespace ReviewBot.Storage.Tests;

/// <summary>docs/deployment.md lists every storage and pipeline setting, with the defaults the code has, and the schema versions.</summary>
public sealed class DeploymentDocumentationTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "deployment.md"));

    /// <summary>(setting, default) rows of the table after the marker line.</summary>
    private static Dictionary<string, string> Documented(string section)
    {
        var start = Array.FindIndex(Lines, l => l.Trim() == $"<!-- settings: {section} -->");
        Assert.True(start >= 0, $"docs/deployment.md has no settings table for {section}");
        return Lines.Skip(start + 3)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|'))
            .ToDictionary(c => c[1].Trim().Trim('`'), c => c[2].Trim().Trim('`'), StringComparer.Ordinal);
    }

    private static IEnumerable<PropertyInfo> Settable(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    [Fact]
    public void Every_storage_setting_is_documented_and_every_documented_one_exists()
        => Assert.Equal(Settable(typeof(StorageOptions)).Select(p => p.Name).Order(), Documented(StorageOptions.Section).Keys.Order());

    [Fact]
    public void Every_pipeline_setting_is_documented_with_its_default()
    {
        AssertDocumentedWithDefaults(PipelineOptions.SectionName, new PipelineOptions());
        AssertDocumentedWithDefaults(GiveWayOptions.SectionName, new GiveWayOptions());
    }

    /// <summary>The section's table lists exactly the settable values of <paramref name="defaults"/> (nested settings have their own table), with these defaults.</summary>
    private static void AssertDocumentedWithDefaults(string section, object defaults)
    {
        var documented = Documented(section);
        var settings = Settable(defaults.GetType()).Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string)).ToList();
        Assert.Equal(settings.Select(p => p.Name).Order(), documented.Keys.Order());
        foreach (var property in settings)
        {
            var value = property.GetValue(defaults) switch
            {
                bool b => b ? "true" : "false",
                TimeSpan t => t.ToString(t.Milliseconds > 0 ? @"hh\:mm\:ss\.f" : @"hh\:mm\:ss", CultureInfo.InvariantCulture),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            };
            Assert.True(documented[property.Name] == value, $"{section}:{property.Name}: documented {documented[property.Name]}, code {value}");
        }
    }

    [Fact]
    public void Every_schema_version_is_listed_in_the_migrations_table()
    {
        var start = Array.FindIndex(Lines, l => l.Trim() == "## Schema migrations");
        var versions = Lines.Skip(start).SkipWhile(l => !l.StartsWith("| Version", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => int.Parse(l.Split('|')[1].Trim(), CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, Sqlite.SqliteDatabase.LatestVersion), versions);
    }
}
