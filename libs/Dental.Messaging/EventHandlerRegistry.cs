using Azure.Messaging;

namespace Dental.Messaging;

/// <summary>Which handler serves which CloudEvent type, for one subscription.</summary>
public sealed class EventHandlerRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, CloudEvent, CancellationToken, Task>> _handlers = [];

    public void Add<T, THandler>(string eventType)
        where THandler : IEventConsumerHandler<T>
    {
        _handlers[eventType] = (services, envelope, ct) =>
        {
            T data;
            try
            {
                data = envelope.DataAs<T>();
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new PermanentEventFailureException($"data of {envelope.Type} is malformed: {ex.Message}", ex);
            }

            return ((IEventConsumerHandler<T>)services.GetService(typeof(THandler))!).HandleAsync(data, envelope, ct);
        };
    }

    public Func<IServiceProvider, CloudEvent, CancellationToken, Task>? Find(string eventType) =>
        _handlers.GetValueOrDefault(eventType);
}
