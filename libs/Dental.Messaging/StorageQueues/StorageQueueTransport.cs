using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Dental.Messaging.StorageQueues;

/// <summary>
/// Azure Storage Queues as a topic/subscription broker: a topic is one queue per subscription
/// ({prefix}{topic}-{subscription}); the visibility timeout is the lock and the dequeue count the
/// delivery count; dead letters go to the subscription's "-poison" queue with their reason.
/// </summary>
public sealed class StorageQueueTransport(QueueServiceClient service, MessagingOptions options, ILogger logger) : IMessageTransport
{
    // A queue message expires after 7 days unless told otherwise: an event waiting out a long outage, or a dead letter
    // inside its retention (DeadLetterRetention, swept by the consumers), must not vanish on the broker's own clock.
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly ConcurrentDictionary<string, QueueClient> _queues = new();

    public async Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken)
    {
        var subscriptions = options.Topics.GetValueOrDefault(topic)
            ?? throw new InvalidOperationException($"Topic '{topic}' has no subscriptions configured (Messaging:Topics).");
        await Task.WhenAll(subscriptions.Select(s => SendToQueueAsync(topic, s, body, cancellationToken)));
    }

    public Task SendToSubscriptionAsync(string topic, string subscription, string messageId, BinaryData body, CancellationToken cancellationToken) =>
        SendToQueueAsync(topic, subscription, body, cancellationToken);

    private async Task SendToQueueAsync(string topic, string subscription, BinaryData body, CancellationToken cancellationToken)
    {
        try
        {
            await Queue(topic, subscription).SendMessageAsync(body, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound && options.EnsureCreated)
        {
            await CreateQueuesAsync(topic, subscription, cancellationToken);
            await Queue(topic, subscription).SendMessageAsync(body, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        }
    }

    public IMessageProcessor CreateProcessor(string topic, string subscription, Func<IReceivedMessage, Task> handle) =>
        new StorageQueueProcessor(this, topic, subscription, handle, options, logger);

    public async Task<IReadOnlyList<IReceivedMessage>> ReceiveAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var queue = Queue(topic, subscription);
        // A receive is a poll, up to ten a second per idle queue, and never part of a message's trace (that continues from the
        // traceparent the message carries): traced, each would be a trace of its own, flooding the dashboard and the exporter.
        using var untraced = SuppressInstrumentationScope.Begin();
        var response = await queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), lockDuration, cancellationToken);
        return response.Value.Select(m => (IReceivedMessage)new Received(queue, Poison(topic, subscription), m)).ToList();
    }

    public async Task EnsureCreatedAsync(string topic, string subscription, CancellationToken cancellationToken)
    {
        if (options.EnsureCreated)
        {
            await CreateQueuesAsync(topic, subscription, cancellationToken);
        }
    }

    private async Task CreateQueuesAsync(string topic, string subscription, CancellationToken cancellationToken)
    {
        await Queue(topic, subscription).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Poison(topic, subscription).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public Task ProbeAsync(string topic, string subscription, CancellationToken cancellationToken) =>
        Queue(topic, subscription).GetPropertiesAsync(cancellationToken);

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string topic, string subscription, int maxMessages, CancellationToken cancellationToken)
    {
        var peeked = await Poison(topic, subscription).PeekMessagesAsync(Math.Clamp(maxMessages, 1, 32), cancellationToken);
        return peeked.Value.Select(m => ToDeadLetter(m.Body, m.InsertedOn)).ToList();
    }

    public async Task<IReadOnlyList<ILockedDeadLetter>> ReceiveDeadLettersAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var poison = Poison(topic, subscription);
        var received = await poison.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), lockDuration, cancellationToken);
        return received.Value.Select(m => (ILockedDeadLetter)new LockedDeadLetter(poison, m)).ToList();
    }

    private static DeadLetter ToDeadLetter(BinaryData body, DateTimeOffset? insertedOn) =>
        body.ToObjectFromJson<DeadLetter>(CloudEvents.Json)! with { DeadLetteredAt = insertedOn };

    public QueueClient Queue(string topic, string subscription) => Get($"{options.QueuePrefix}{topic}-{subscription}");

    private QueueClient Poison(string topic, string subscription) => Get($"{options.QueuePrefix}{topic}-{subscription}-poison");

    private QueueClient Get(string name) => _queues.GetOrAdd(name, service.GetQueueClient);

    private sealed class LockedDeadLetter(QueueClient poison, QueueMessage message) : ILockedDeadLetter
    {
        public DeadLetter Letter { get; } = ToDeadLetter(message.Body, message.InsertedOn);

        public Task RemoveAsync(CancellationToken cancellationToken) => poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

        public Task ReleaseAsync(CancellationToken cancellationToken) =>
            poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A received queue message. Every call that changes it (renew, complete, abandon, dead-letter) needs the newest pop
    /// receipt, so they take turns; once settled, a late renewal does nothing.
    /// </summary>
    internal sealed class Received(QueueClient queue, QueueClient poison, QueueMessage message) : IReceivedMessage, IDisposable
    {
        private readonly SemaphoreSlim _turn = new(1, 1);
        private string _popReceipt = message.PopReceipt;
        private bool _settled;

        public string MessageId => message.MessageId;

        public BinaryData Body => message.Body;

        public int DeliveryCount => (int)message.DequeueCount;

        public Task CompleteAsync(CancellationToken cancellationToken) =>
            SettleAsync(() => queue.DeleteMessageAsync(message.MessageId, _popReceipt, cancellationToken));

        public Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            SettleAsync(() => queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken));

        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken) => SettleAsync(async () =>
        {
            // Poison copy first, then delete: a crash between the two leaves a duplicate, never a loss.
            var letter = new DeadLetter(message.MessageId, reason, message.Body, DeliveryCount);
            await poison.SendMessageAsync(BinaryData.FromObjectAsJson(letter, CloudEvents.Json), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
            return await queue.DeleteMessageAsync(message.MessageId, _popReceipt, cancellationToken);
        });

        public async Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                if (!_settled)
                {
                    var updated = await queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: lockDuration, cancellationToken: cancellationToken);
                    _popReceipt = updated.Value.PopReceipt;
                }
            }
            finally
            {
                _turn.Release();
            }
        }

        public void Dispose() => _turn.Dispose();

        private async Task SettleAsync<T>(Func<Task<T>> settle)
        {
            await _turn.WaitAsync(CancellationToken.None);
            try
            {
                await settle();
                _settled = true;
            }
            finally
            {
                _turn.Release();
            }
        }
    }
}
