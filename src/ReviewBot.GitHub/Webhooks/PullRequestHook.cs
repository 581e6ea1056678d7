using System.Text.Json;

namespace ReviewBot.GitHub.Webhooks;

/// <summary>
/// The fields of a <c>pull_request</c> or <c>pull_request_review</c> delivery the bot reads, and only those: these two
/// events are most of the traffic. <see cref="Read"/> takes them in one forward pass of a <see cref="Utf8JsonReader"/>
/// that also validates the whole document; the serializer (even source-generated) cost about half an
/// acknowledgement's CPU walking the ~23 KB of fields the bot does not use.
/// </summary>
internal sealed record PullRequestHook(string? Action, long Number, PullRequestHook.PullRequestPart? PullRequest, PullRequestHook.RepositoryPart? Repository, PullRequestHook.InstallationPart? Installation)
{
    internal sealed record PullRequestPart(long Number, HeadPart? Head);

    internal sealed record HeadPart(string? Sha);

    internal sealed record RepositoryPart(string? FullName);

    internal sealed record InstallationPart(long Id);

    private const int MaxDepth = 256;

    /// <summary>Reads one JSON object (nothing after it); <see cref="JsonException"/> when the body is not one, or a field has the wrong type.</summary>
    public static PullRequestHook Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        Expect(ref reader, JsonTokenType.StartObject);
        string? action = null;
        long number = 0;
        PullRequestPart? pullRequest = null;
        RepositoryPart? repository = null;
        InstallationPart? installation = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("action"u8))
            {
                action = String(ref reader);
            }
            else if (reader.ValueTextEquals("number"u8))
            {
                number = Int64(ref reader);
            }
            else if (reader.ValueTextEquals("pull_request"u8))
            {
                pullRequest = Object(ref reader, ReadPullRequest);
            }
            else if (reader.ValueTextEquals("repository"u8))
            {
                repository = Object(ref reader, (ref Utf8JsonReader r) => new RepositoryPart(Field(ref r, "full_name"u8, String)));
            }
            else if (reader.ValueTextEquals("installation"u8))
            {
                installation = Object(ref reader, (ref Utf8JsonReader r) => new InstallationPart(Field(ref r, "id"u8, Int64)));
            }
            else
            {
                Skip(ref reader);
            }
        }

        if (reader.Read())
        {
            throw new JsonException("content after the JSON object");
        }

        return new PullRequestHook(action, number, pullRequest, repository, installation);
    }

    private static PullRequestPart ReadPullRequest(ref Utf8JsonReader reader)
    {
        long number = 0;
        HeadPart? head = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("number"u8))
            {
                number = Int64(ref reader);
            }
            else if (reader.ValueTextEquals("head"u8))
            {
                head = Object(ref reader, (ref Utf8JsonReader r) => new HeadPart(Field(ref r, "sha"u8, String)));
            }
            else
            {
                Skip(ref reader);
            }
        }

        return new PullRequestPart(number, head);
    }

    private delegate T PartReader<out T>(ref Utf8JsonReader reader);

    /// <summary>The object value of the current property (null for JSON null), read by <paramref name="read"/> up to its end.</summary>
    private static T? Object<T>(ref Utf8JsonReader reader, PartReader<T> read)
        where T : class
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object, found {reader.TokenType}");
        }

        return read(ref reader);
    }

    /// <summary>The one field of an object the bot reads, by <paramref name="read"/>; the rest is skipped.</summary>
    private static T? Field<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, PartReader<T> read)
    {
        T? value = default;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(name))
            {
                value = read(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return value;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"expected a property name, found {reader.TokenType}"),
        };
    }

    private static string? String(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
        };
    }

    private static long Int64(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        throw new JsonException($"expected a whole number, found {reader.TokenType}");
    }

    /// <summary>Skips the current property's value (the reader validates what it skips).</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        reader.Skip();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        Advance(ref reader);
        if (reader.TokenType != token)
        {
            throw new JsonException($"expected {token}, found {reader.TokenType}");
        }
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the JSON document ends early");
        }
    }
}
