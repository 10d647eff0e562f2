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
        var envelope = CloudEvents.Create("/dental/" + environment.ApplicationName, type, eventId, subject, data, time.GetUtcNow());
        await transport.SendAsync(topic, eventId, envelope.ToBinary(), cancellationToken);
        MessagingTelemetry.Published.Add(1, new KeyValuePair<string, object?>("type", type));
    }
}
