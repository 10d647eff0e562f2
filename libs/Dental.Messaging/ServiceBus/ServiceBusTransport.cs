using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace Dental.Messaging.ServiceBus;

/// <summary>
/// Azure Service Bus through its SDK: a sender per topic (MessageId = event id feeds the topics' duplicate
/// detection) and a processor per consumed subscription; dead-lettering keeps the reason and its description.
/// Topics and subscriptions are infrastructure (the Bicep creates them with their delivery settings).
/// </summary>
internal sealed class ServiceBusTransport(ServiceBusClient client, MessagingOptions options, ILogger logger) : IMessageTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new();
    private readonly ConcurrentDictionary<string, ServiceBusReceiver> _receivers = new();

    public Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken) =>
        _senders.GetOrAdd(topic, client.CreateSender).SendMessageAsync(
            new ServiceBusMessage(body) { MessageId = messageId, ContentType = "application/cloudevents+json" }, cancellationToken);

    // Each subscription's rule (Bicep) is "sys.To IS NULL OR sys.To = '<subscription>'": addressed, a message reaches one subscription.
    public Task SendToSubscriptionAsync(string topic, string subscription, string messageId, BinaryData body, CancellationToken cancellationToken) =>
        _senders.GetOrAdd(topic, client.CreateSender).SendMessageAsync(
            new ServiceBusMessage(body) { MessageId = messageId, ContentType = "application/cloudevents+json", To = subscription }, cancellationToken);

    public IMessageProcessor CreateProcessor(string topic, string subscription, Func<IReceivedMessage, Task> handle) =>
        new ServiceBusMessageProcessor(client, topic, subscription, handle, options, logger);

    public async Task<IReadOnlyList<IReceivedMessage>> ReceiveAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var receiver = Receiver(topic, subscription);
        var messages = await receiver.ReceiveMessagesAsync(maxMessages, options.ServiceBus.ReceiveTimeout, cancellationToken);
        return messages.Select(m => (IReceivedMessage)new Received(new ProcessMessageEventArgs(m, receiver, cancellationToken), options.LockDuration)).ToList();
    }

    public Task EnsureCreatedAsync(string topic, string subscription, CancellationToken cancellationToken) => Task.CompletedTask;

    // Peeking locks nothing and changes nothing: it proves the namespace answers and the identity may read.
    public Task ProbeAsync(string topic, string subscription, CancellationToken cancellationToken) =>
        Receiver(topic, subscription).PeekMessageAsync(cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string topic, string subscription, int maxMessages, CancellationToken cancellationToken)
    {
        var messages = await DeadLetterReceiver(topic, subscription).PeekMessagesAsync(maxMessages, cancellationToken: cancellationToken);
        return messages.Select(ToDeadLetter).ToList();
    }

    // The dead-letter queue's lock duration is the subscription's: lockDuration cannot change it.
    public async Task<IReadOnlyList<ILockedDeadLetter>> ReceiveDeadLettersAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var receiver = DeadLetterReceiver(topic, subscription);
        var messages = await receiver.ReceiveMessagesAsync(maxMessages, options.ServiceBus.DeadLetterReceiveTimeout, cancellationToken);
        return messages.Select(m => (ILockedDeadLetter)new LockedDeadLetter(receiver, m)).ToList();
    }

    /// <summary>
    /// Service Bus keeps no dead-lettering time: the consumer stamps it when it dead-letters; a message the broker
    /// dead-lettered itself (its last lock expired) counts from when it was enqueued.
    /// </summary>
    private static DeadLetter ToDeadLetter(ServiceBusReceivedMessage m) => new(
        m.MessageId,
        $"{m.DeadLetterReason}: {m.DeadLetterErrorDescription}".TrimEnd(':', ' '),
        m.Body,
        m.DeliveryCount,
        m.ApplicationProperties.TryGetValue(DeadLetteredAtProperty, out var at) && at is DateTimeOffset stamped ? stamped : m.EnqueuedTime);

    private const string DeadLetteredAtProperty = "DeadLetteredAt";

    private ServiceBusReceiver DeadLetterReceiver(string topic, string subscription) =>
        _receivers.GetOrAdd($"{topic}/{subscription}/$deadletter",
            _ => client.CreateReceiver(topic, subscription, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter }));

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in _receivers.Values)
        {
            await receiver.DisposeAsync();
        }

        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }

    private ServiceBusReceiver Receiver(string topic, string subscription) =>
        _receivers.GetOrAdd($"{topic}/{subscription}", _ => client.CreateReceiver(topic, subscription));

    private sealed class LockedDeadLetter(ServiceBusReceiver receiver, ServiceBusReceivedMessage message) : ILockedDeadLetter
    {
        public DeadLetter Letter { get; } = ToDeadLetter(message);

        public Task RemoveAsync(CancellationToken cancellationToken) => receiver.CompleteMessageAsync(message, cancellationToken);

        public Task ReleaseAsync(CancellationToken cancellationToken) => receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
    }

    /// <summary>A message delivered by the processor (or received directly), settled through its event arguments.</summary>
    internal sealed class Received(ProcessMessageEventArgs args, TimeSpan lockDuration) : IReceivedMessage
    {
        private ServiceBusReceivedMessage Message => args.Message;

        public string MessageId => Message.MessageId;

        public BinaryData Body => Message.Body;

        public int DeliveryCount => Message.DeliveryCount;

        public Task CompleteAsync(CancellationToken cancellationToken) => args.CompleteMessageAsync(Message, cancellationToken);

        public async Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Abandon has no delay: holding the lock a little first gives the backoff (bounded well below
            // the lock duration, so the lock is still ours when it is released).
            var hold = TimeSpan.FromTicks(Math.Min(delay.Ticks, lockDuration.Ticks / 2));
            if (hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, cancellationToken);
            }

            await args.AbandonMessageAsync(Message, cancellationToken: cancellationToken);
        }

        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            // Service Bus keeps a short reason and a longer description: "kind: what happened".
            var colon = reason.IndexOf(':', StringComparison.Ordinal);
            var stamp = new Dictionary<string, object> { [DeadLetteredAtProperty] = DateTimeOffset.UtcNow };
            return colon < 0
                ? args.DeadLetterMessageAsync(Message, stamp, reason, cancellationToken: cancellationToken)
                : args.DeadLetterMessageAsync(Message, stamp, reason[..colon], reason[(colon + 1)..].Trim(), cancellationToken);
        }
    }
}
