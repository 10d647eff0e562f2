using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging;

namespace Dental.Messaging;

/// <summary>
/// The envelope of every event is Azure.Core's <see cref="CloudEvent"/>: CloudEvents 1.0 in JSON structured mode, with the
/// distributed-tracing extension (traceparent/tracestate) so one upload is one trace across services.
/// </summary>
public static class CloudEvents
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";

    /// <summary>An event with JSON data, carrying the current trace.</summary>
    public static CloudEvent Create<T>(string source, string type, string id, string? subject, T data, DateTimeOffset time)
    {
        var envelope = new CloudEvent(source, type, BinaryData.FromObjectAsJson(data, Json), "application/json", CloudEventDataFormat.Json)
        {
            Id = id,
            Subject = subject,
            Time = time,
        };
        if (Activity.Current is { } activity)
        {
            envelope.ExtensionAttributes[TraceParent] = activity.Id!;
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                envelope.ExtensionAttributes[TraceState] = activity.TraceStateString;
            }
        }

        return envelope;
    }

    public static BinaryData ToBinary(this CloudEvent envelope) => BinaryData.FromObjectAsJson(envelope);

    /// <summary>The body as a CloudEvent, or null with why it is not one.</summary>
    public static CloudEvent? TryParse(BinaryData body, out string? problem)
    {
        try
        {
            problem = null;
            return CloudEvent.Parse(body) ?? throw new JsonException("The message is empty.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            problem = ex.Message;
            return null;
        }
    }

    public static T DataAs<T>(this CloudEvent envelope) =>
        (envelope.Data is { } data ? data.ToObjectFromJson<T>(Json) : default) ?? throw new JsonException($"Event {envelope.Id} of type {envelope.Type} has no data.");

    /// <summary>The trace the event was published in (its traceparent and tracestate extension attributes).</summary>
    public static ActivityContext ParentContext(this CloudEvent envelope)
    {
        ActivityContext.TryParse(Attribute(envelope, TraceParent), Attribute(envelope, TraceState), out var parent);
        return parent;
    }

    private static string? Attribute(CloudEvent envelope, string name) =>
        envelope.ExtensionAttributes.TryGetValue(name, out var value) ? value?.ToString() : null;
}
