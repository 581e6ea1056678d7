using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Core.Snapshot;

/// <summary>
/// Where a pull request lives, by the name its adapter gives it ("github", "gitlab", "local"). An open value: a new
/// platform's adapter names its own (<c>new Platform("azure-devops", "Azure DevOps")</c>) and Core needs no change —
/// Core never branches on the platform; what differs is stated as facts on the snapshot (<see cref="IdentityFacts"/>).
/// Equal when the ids are equal (ids are lower-case). <c>default</c> is <see cref="Local"/>.
/// </summary>
[JsonConverter(typeof(PlatformJsonConverter))]
public readonly struct Platform : IEquatable<Platform>
{
    private readonly string? _id;
    private readonly string? _display;

    /// <param name="id">The stable id used in keys, audit records and JSON: lower-case letters, digits and '-'.</param>
    /// <param name="display">How messages name it (default: the id).</param>
    public Platform(string id, string? display = null)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 40 || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException($"a platform id is 1-40 lower-case letters, digits or '-', not '{id}'", nameof(id));
        }

        _id = id;
        _display = display ?? id;
    }

    public static Platform Local { get; } = new("local", "Local");

    public static Platform GitHub { get; } = new("github", "GitHub");

    public static Platform GitLab { get; } = new("gitlab", "GitLab");

    /// <summary>The stable id ("github").</summary>
    public string Id => _id ?? "local";

    public bool Equals(Platform other) => string.Equals(Id, other.Id, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Platform other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    public static bool operator ==(Platform left, Platform right) => left.Equals(right);

    public static bool operator !=(Platform left, Platform right) => !left.Equals(right);

    /// <summary>The display name ("GitHub").</summary>
    public override string ToString() => _display ?? "Local";

    /// <summary>
    /// The platform an id names: the known ones with their display names, any other well-formed id as itself. Accepts
    /// the display names too ("GitHub"), and the numbers the closed enum of earlier versions wrote (0 local, 1 GitHub,
    /// 2 GitLab), so work queued before an upgrade still reads.
    /// </summary>
    public static Platform Parse(string text)
    {
        var id = text.Trim().ToLowerInvariant();
        return id switch
        {
            "local" or "0" => Local,
            "github" or "1" => GitHub,
            "gitlab" or "2" => GitLab,
            _ => new Platform(id),
        };
    }
}

/// <summary>A platform is its id in JSON; numbers of the earlier enum are read too.</summary>
public sealed class PlatformJsonConverter : JsonConverter<Platform>
{
    public override Platform Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return reader.TokenType switch
            {
                JsonTokenType.String => Platform.Parse(reader.GetString()!),
                JsonTokenType.Number when reader.TryGetInt32(out var number) && number is >= 0 and <= 2
                    => Platform.Parse(number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                JsonTokenType.Number => throw new JsonException("a platform number is one of the earlier enum's 0 (local), 1 (GitHub) or 2 (GitLab)"),
                _ => throw new JsonException($"a platform is a string, not {reader.TokenType}"),
            };
        }
        catch (ArgumentException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, Platform value, JsonSerializerOptions options) => writer.WriteStringValue(value.Id);
}
