using System.Text.Json;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Snapshot;

/// <summary>A platform is an open value: a new adapter names its own, and what earlier versions queued still reads.</summary>
public sealed class PlatformTests
{
    [Fact]
    public void A_new_platform_needs_no_change_in_core_and_is_its_id_in_json()
    {
        var azure = new Platform("azure-devops", "Azure DevOps");

        var json = JsonSerializer.Serialize(new Holder(azure), ReviewBotJson.Compact);

        Assert.Equal("""{"platform":"azure-devops"}""", json);
        Assert.Equal(azure, JsonSerializer.Deserialize<Holder>(json, ReviewBotJson.Compact)!.Platform);
        Assert.Equal("Azure DevOps", azure.ToString());
        Assert.NotEqual(Platform.GitHub, azure);
    }

    [Theory]
    [InlineData("""{"platform":1}""", "github")]
    [InlineData("""{"platform":2}""", "gitlab")]
    [InlineData("""{"platform":0}""", "local")]
    [InlineData("""{"platform":"GitHub"}""", "github")]
    [InlineData("""{"platform":"gitlab"}""", "gitlab")]
    public void Work_queued_by_an_earlier_version_still_names_its_platform(string json, string id)
        => Assert.Equal(id, JsonSerializer.Deserialize<Holder>(json, ReviewBotJson.Compact)!.Platform.Id);

    [Theory]
    [InlineData("""{"platform":"Git Hub"}""")]
    [InlineData("""{"platform":""}""")]
    [InlineData("""{"platform":true}""")]
    [InlineData("""{"platform":3}""")]
    public void A_malformed_platform_is_a_json_error_not_a_crash(string json)
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json, ReviewBotJson.Compact));

    [Fact]
    public void Ids_are_read_without_case_and_default_is_local()
    {
        Assert.Equal(Platform.GitHub, Platform.Parse("GITHUB"));
        Assert.Equal(Platform.GitHub.GetHashCode(), Platform.Parse("GitHub").GetHashCode());
        Assert.Equal(Platform.Local, default);
        Assert.Equal("Local", default(Platform).ToString());
    }

    private sealed record Holder(Platform Platform);
}
