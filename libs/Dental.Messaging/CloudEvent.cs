using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dental.Messaging;

/// <summary>
/// The envelope of every event: CloudEvents 1.0 in JSON structured mode, with the distributed-tracing
/// extension (traceparent/tracestate) so one upload is one trace across services.
/// </summary>
public sealed record CloudEvent
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = "1.0";

    public required string Id { get; init; }

    public required string Source { get; init; }

    public required string Type { get; init; }

    public string? Subject { get; init; }

    public DateTimeOffset Time { get; init; }

    [JsonPropertyName("datacontenttype")]
    public string DataContentType { get; init; } = "application/json";

    public JsonElement Data { get; init; }

    [JsonPropertyName("traceparent")]
    public string? TraceParent { get; init; }

    [JsonPropertyName("tracestate")]
    public string? TraceState { get; init; }

    public T DataAs<T>() => Data.Deserialize<T>(Json) ?? throw new JsonException($"Event {Id} of type {Type} has no data.");

    public BinaryData ToBinary() => BinaryData.FromObjectAsJson(this, Json);

    public static CloudEvent Parse(BinaryData body) =>
        body.ToObjectFromJson<CloudEvent>(Json) ?? throw new JsonException("The message is not a CloudEvent.");

    /// <summary>The body as a CloudEvent, or null with why it is not one.</summary>
    public static CloudEvent? TryParse(BinaryData body, out string? problem)
    {
        try
        {
            problem = null;
            return Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            problem = ex.Message;
            return null;
        }
    }
}
