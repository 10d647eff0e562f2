using Azure.Messaging;

namespace Dental.Messaging;

/// <summary>Handles one event type. Must be idempotent: delivery is at-least-once.</summary>
public interface IEventConsumerHandler<in T>
{
    Task HandleAsync(T data, CloudEvent envelope, CancellationToken cancellationToken);
}
