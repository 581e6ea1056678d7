using System.Text.Json;
using ReviewBot.Core.Serialization;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>
/// The queue message body: a <see cref="ReviewRequest"/> as compact JSON. On an Azure Storage queue it travels
/// base64-encoded, the encoding the Functions queue trigger expects by default (host.json <c>messageEncoding</c>).
/// </summary>
public static class ReviewMessage
{
    public static string Serialize(ReviewRequest request) => JsonSerializer.Serialize(request, ReviewBotJson.Compact);

    /// <summary>
    /// Parses a message body. Accepts the JSON object itself or that object JSON-encoded once more as a string
    /// (the Functions host serialises string trigger data again when it wraps the invocation).
    /// </summary>
    public static ReviewRequest Deserialize(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var doc = JsonDocument.Parse(body);
        return Deserialize(doc.RootElement);
    }

    public static ReviewRequest Deserialize(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return Deserialize(element.GetString()!);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"a review message is a JSON object, not {element.ValueKind}");
        }

        var request = element.Deserialize<ReviewRequest>(ReviewBotJson.Compact)
                      ?? throw new InvalidDataException("a review message is a JSON object, not null");
        if (string.IsNullOrWhiteSpace(request.Repository) || string.IsNullOrWhiteSpace(request.DeliveryId))
        {
            throw new InvalidDataException("a review message needs repository and deliveryId");
        }

        return request;
    }
}
