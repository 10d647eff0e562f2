using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Dental.Messaging.ServiceBus;

/// <summary>
/// Azure Service Bus through its SDK: a sender per topic (MessageId = event id feeds the topics' duplicate
/// detection) and a peek-lock receiver per subscription; dead-lettering keeps the reason and its description.
/// Topics and subscriptions are infrastructure (the Bicep creates them with their delivery settings).
/// </summary>
internal sealed class ServiceBusTransport(ServiceBusClient client, MessagingOptions options) : IMessageTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new();
    private readonly ConcurrentDictionary<string, ServiceBusReceiver> _receivers = new();

    public Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken) =>
        _senders.GetOrAdd(topic, client.CreateSender).SendMessageAsync(
            new ServiceBusMessage(body) { MessageId = messageId, ContentType = "application/cloudevents+json" }, cancellationToken);

    public async Task<IReadOnlyList<IReceivedMessage>> ReceiveAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var receiver = Receiver(topic, subscription);
        var messages = await receiver.ReceiveMessagesAsync(maxMessages, options.ServiceBus.ReceiveTimeout, cancellationToken);
        return messages.Select(m => (IReceivedMessage)new Received(receiver, m, options.LockDuration)).ToList();
    }

    public Task EnsureCreatedAsync(string topic, string subscription, CancellationToken cancellationToken) => Task.CompletedTask;

    // Peeking locks nothing and changes nothing: it proves the namespace answers and the identity may read.
    public Task ProbeAsync(string topic, string subscription, CancellationToken cancellationToken) =>
        Receiver(topic, subscription).PeekMessageAsync(cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string topic, string subscription, int maxMessages, CancellationToken cancellationToken)
    {
        var receiver = _receivers.GetOrAdd($"{topic}/{subscription}/$deadletter",
            _ => client.CreateReceiver(topic, subscription, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter }));
        var messages = await receiver.PeekMessagesAsync(maxMessages, cancellationToken: cancellationToken);
        // Service Bus keeps no dead-lettering time on the message: DeadLetteredAt stays unknown.
        return messages.Select(m => new DeadLetter(m.MessageId, $"{m.DeadLetterReason}: {m.DeadLetterErrorDescription}".TrimEnd(':', ' '), m.Body, m.DeliveryCount)).ToList();
    }

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

    private sealed class Received(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, TimeSpan lockDuration) : IReceivedMessage
    {
        public string MessageId => message.MessageId;

        public BinaryData Body => message.Body;

        public int DeliveryCount => message.DeliveryCount;

        public Task CompleteAsync(CancellationToken cancellationToken) => receiver.CompleteMessageAsync(message, cancellationToken);

        public async Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Abandon has no delay: holding the lock a little first gives the backoff (bounded well below
            // the lock duration, so the lock is still ours when it is released).
            var hold = TimeSpan.FromTicks(Math.Min(delay.Ticks, lockDuration.Ticks / 2));
            if (hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, cancellationToken);
            }

            await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
        }

        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            // Service Bus keeps a short reason and a longer description: "kind: what happened".
            var colon = reason.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? receiver.DeadLetterMessageAsync(message, reason, cancellationToken: cancellationToken)
                : receiver.DeadLetterMessageAsync(message, reason[..colon], reason[(colon + 1)..].Trim(), cancellationToken);
        }

        public Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken) => receiver.RenewMessageLockAsync(message, cancellationToken);
    }
}
