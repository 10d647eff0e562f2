using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.Messaging;

internal sealed class EventPublisher(IMessageTransport transport, IHostEnvironment environment, TimeProvider time) : IEventPublisher
{
    public async Task PublishAsync<T>(string topic, string type, string eventId, string? subject, T data, CancellationToken cancellationToken)
    {
        using var activity = MessagingTelemetry.Source.StartActivity($"publish {type}", ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.message.id", eventId);
        var envelope = new CloudEvent
        {
            Id = eventId,
            Source = "/dental/" + environment.ApplicationName,
            Type = type,
            Subject = subject,
            Time = time.GetUtcNow(),
            Data = System.Text.Json.JsonSerializer.SerializeToElement(data, CloudEvent.Json),
            TraceParent = Activity.Current?.Id,
            TraceState = Activity.Current?.TraceStateString,
        };
        await transport.SendAsync(topic, eventId, envelope.ToBinary(), cancellationToken);
        MessagingTelemetry.Published.Add(1, new KeyValuePair<string, object?>("type", type));
    }
}
