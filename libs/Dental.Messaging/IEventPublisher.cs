namespace Dental.Messaging;

public interface IEventPublisher
{
    /// <summary>Publishes <paramref name="data"/> as a CloudEvent; <paramref name="eventId"/> makes re-publishing idempotent.</summary>
    Task PublishAsync<T>(string topic, string type, string eventId, string? subject, T data, CancellationToken cancellationToken);
}
