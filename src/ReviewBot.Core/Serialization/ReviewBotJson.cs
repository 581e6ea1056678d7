using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Core.Serialization;

/// <summary>
/// The one JSON shape of every public output (CLI --format json, audit export, check output):
/// camelCase properties, enums as the strings the model declares, indented.
/// </summary>
public static class ReviewBotJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>Same shape on one line (JSON lines, storage).</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>A value as the public JSON names it, unquoted (enums by the strings the model declares).</summary>
    public static string Name<T>(T value) => JsonSerializer.Serialize(value, Compact).Trim('"');

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
