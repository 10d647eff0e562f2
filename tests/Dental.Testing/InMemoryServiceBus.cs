using Azure.Messaging.ServiceBus;

namespace Dental.Testing;

/// <summary>
/// Service Bus for tests, through the SDK's documented test seams (no broker can run here): the client, sender and
/// receiver are subclassed through the constructors the SDK keeps for mocking, and received messages are made by
/// <see cref="ServiceBusModelFactory"/>. The broker's rules are kept in memory: duplicate detection by MessageId,
/// peek-lock with expiring locks, MaxDeliveryCount, a dead-letter queue with reason, description and modified
/// properties, and the subscriptions' rule "sys.To IS NULL OR sys.To = '&lt;subscription&gt;'" (the Bicep's).
/// </summary>
public sealed class InMemoryServiceBus(IReadOnlyDictionary<string, string[]> topics, int maxDeliveryCount, TimeSpan lockDuration)
{
    public TimeSpan LockDuration => lockDuration;

    private readonly Dictionary<string, Dictionary<string, Subscription>> _topics =
        topics.ToDictionary(t => t.Key, t => t.Value.ToDictionary(s => s, _ => new Subscription()));
    private readonly HashSet<string> _seen = [];
    private long _sequence;

    public ServiceBusClient Client => new FakeClient(this);

    /// <summary>Messages waiting or locked in a subscription (not dead-lettered).</summary>
    public int ActiveCount(string topic, string subscription)
    {
        var s = _topics[topic][subscription];
        lock (s)
        {
            return s.Active.Count;
        }
    }

    private Subscription Find(string topic, string subscription) =>
        _topics.TryGetValue(topic, out var subscriptions) && subscriptions.TryGetValue(subscription, out var s)
            ? s
            : throw new ServiceBusException($"{topic}/{subscription} does not exist.", ServiceBusFailureReason.MessagingEntityNotFound);

    private void Send(string topic, ServiceBusMessage message)
    {
        var subscriptions = _topics.TryGetValue(topic, out var found) ? found
            : throw new ServiceBusException($"Topic {topic} does not exist.", ServiceBusFailureReason.MessagingEntityNotFound);
        lock (_seen)
        {
            if (!_seen.Add($"{topic}/{message.MessageId}"))
            {
                return;
            }
        }

        foreach (var (name, s) in subscriptions)
        {
            if (message.To is not null && message.To != name)
            {
                continue;
            }

            lock (s)
            {
                s.Active.Add(new Entry(Interlocked.Increment(ref _sequence), message.MessageId, message.Body));
            }
        }
    }

    private List<ServiceBusReceivedMessage> Receive(Subscription s, bool deadLetters, int maxMessages)
    {
        lock (s)
        {
            ExpireLocks(s);
            var now = DateTimeOffset.UtcNow;
            var taken = (deadLetters ? s.DeadLetters : s.Active).Where(e => e.LockedUntil < now).Take(maxMessages).ToList();
            foreach (var entry in taken)
            {
                entry.DeliveryCount++;
                entry.LockToken = Guid.NewGuid();
                entry.LockedUntil = now + lockDuration;
            }

            return taken.Select(e => e.ToMessage()).ToList();
        }
    }

    /// <summary>A lock that ran out counts as an abandon: the message is available again, or dead-lettered after its last delivery.</summary>
    private void ExpireLocks(Subscription s)
    {
        foreach (var entry in s.Active.Concat(s.DeadLetters).Where(e => e.LockToken != Guid.Empty && e.LockedUntil < DateTimeOffset.UtcNow).ToList())
        {
            Release(s, entry);
        }
    }

    private void Release(Subscription s, Entry entry)
    {
        entry.LockToken = Guid.Empty;
        entry.LockedUntil = DateTimeOffset.MinValue;
        if (entry.DeliveryCount >= maxDeliveryCount && s.Active.Contains(entry))
        {
            MoveToDeadLetters(s, entry, "MaxDeliveryCountExceeded", $"Delivered {entry.DeliveryCount} times.", null);
        }
    }

    private void Renew(Entry entry) => entry.LockedUntil = DateTimeOffset.UtcNow + lockDuration;

    private static void MoveToDeadLetters(Subscription s, Entry entry, string reason, string? description, IDictionary<string, object>? properties)
    {
        s.Active.Remove(entry);
        entry.LockToken = Guid.Empty;
        entry.LockedUntil = DateTimeOffset.MinValue;
        entry.DeadLetterReason = reason;
        entry.DeadLetterDescription = description;
        foreach (var (key, value) in properties ?? new Dictionary<string, object>())
        {
            entry.Properties[key] = value;
        }

        s.DeadLetters.Add(entry);
    }

    private static void Settle(Subscription s, ServiceBusReceivedMessage message, Action<Entry> settle)
    {
        lock (s)
        {
            var entry = s.Active.Concat(s.DeadLetters).FirstOrDefault(e => e.LockToken.ToString() == message.LockToken && e.LockedUntil >= DateTimeOffset.UtcNow)
                ?? throw new ServiceBusException("The lock is lost.", ServiceBusFailureReason.MessageLockLost);
            settle(entry);
        }
    }

    private sealed class Subscription
    {
        public List<Entry> Active { get; } = [];

        public List<Entry> DeadLetters { get; } = [];
    }

    private sealed class Entry(long sequence, string messageId, BinaryData body)
    {
        public long Sequence { get; } = sequence;
        public string MessageId { get; } = messageId;
        public BinaryData Body { get; } = body;
        public int DeliveryCount { get; set; }
        public Guid LockToken { get; set; }
        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;
        public string? DeadLetterReason { get; set; }
        public string? DeadLetterDescription { get; set; }
        public Dictionary<string, object> Properties { get; } = [];
        public DateTimeOffset EnqueuedAt { get; } = DateTimeOffset.UtcNow;

        public ServiceBusReceivedMessage ToMessage()
        {
            var properties = new Dictionary<string, object>(Properties);
            if (DeadLetterReason is not null)
            {
                properties["DeadLetterReason"] = DeadLetterReason;
                properties["DeadLetterErrorDescription"] = DeadLetterDescription ?? "";
            }

            return ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: Body, messageId: MessageId, lockTokenGuid: LockToken, deliveryCount: DeliveryCount, lockedUntil: LockedUntil,
                sequenceNumber: Sequence, enqueuedTime: EnqueuedAt, properties: properties);
        }
    }

    // The fakes hold nothing to close; the base classes' DisposeAsync would reach for the connection a real client has.
#pragma warning disable CA2215
    private sealed class FakeClient(InMemoryServiceBus bus) : ServiceBusClient
    {
        public override ServiceBusSender CreateSender(string queueOrTopicName) => new FakeSender(bus, queueOrTopicName);

        public override ServiceBusReceiver CreateReceiver(string topicName, string subscriptionName) =>
            CreateReceiver(topicName, subscriptionName, new ServiceBusReceiverOptions());

        public override ServiceBusReceiver CreateReceiver(string topicName, string subscriptionName, ServiceBusReceiverOptions options) =>
            new FakeReceiver(bus, topicName, subscriptionName, options.SubQueue == SubQueue.DeadLetter);

        public override ServiceBusProcessor CreateProcessor(string topicName, string subscriptionName, ServiceBusProcessorOptions options) =>
            new FakeProcessor(new FakeReceiver(bus, topicName, subscriptionName, deadLetters: false), options);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// The processor seam: the SDK's mocking constructor, with its pump played here (MaxConcurrentCalls workers receiving
    /// one message each) and every message handed to <see cref="ServiceBusProcessor.OnProcessMessageAsync"/>, which
    /// invokes the handler the application registered, with event arguments settling through the in-memory receiver.
    /// Lock renewal while a handler runs, as MaxAutoLockRenewalDuration asks, is played too.
    /// </summary>
    private sealed class FakeProcessor(FakeReceiver receiver, ServiceBusProcessorOptions options) : ServiceBusProcessor
    {
        private CancellationTokenSource? _stopping;
        private Task _workers = Task.CompletedTask;

        public override bool IsProcessing => _stopping is { IsCancellationRequested: false };

        public override Task StartProcessingAsync(CancellationToken cancellationToken = default)
        {
            _stopping = new CancellationTokenSource();
            var stopping = _stopping.Token;
            _workers = Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentCalls).Select(_ => Task.Run(() => WorkAsync(stopping), CancellationToken.None)));
            return Task.CompletedTask;
        }

        public override async Task StopProcessingAsync(CancellationToken cancellationToken = default)
        {
            await _stopping!.CancelAsync();
            await _workers;
        }

        public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        private async Task WorkAsync(CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                IReadOnlyList<ServiceBusReceivedMessage> messages;
                try
                {
                    messages = await receiver.ReceiveMessagesAsync(1, TimeSpan.FromMilliseconds(200), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                foreach (var message in messages)
                {
                    using var renewal = new CancellationTokenSource();
                    var renewing = RenewAsync(message, renewal.Token);
                    await OnProcessMessageAsync(new ProcessMessageEventArgs(message, receiver, stopping));
                    await renewal.CancelAsync();
                    await renewing;
                }
            }
        }

        private async Task RenewAsync(ServiceBusReceivedMessage message, CancellationToken done)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(receiver.Bus.LockDuration / 2, done);
                    await receiver.RenewMessageLockAsync(message, done);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ServiceBusException)
            {
                // Settled meanwhile: nothing left to renew.
            }
        }
    }

    private sealed class FakeSender(InMemoryServiceBus bus, string topic) : ServiceBusSender
    {
        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            bus.Send(topic, message);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FakeReceiver(InMemoryServiceBus bus, string topic, string subscription, bool deadLetters) : ServiceBusReceiver
    {
        public InMemoryServiceBus Bus => bus;

        private Subscription Entity => bus.Find(topic, subscription);

        public override async Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(
            int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
        {
            var deadline = DateTimeOffset.UtcNow + (maxWaitTime ?? TimeSpan.FromSeconds(60));
            while (true)
            {
                var messages = bus.Receive(Entity, deadLetters, maxMessages);
                if (messages.Count > 0 || DateTimeOffset.UtcNow >= deadline)
                {
                    return messages;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            var s = Entity;
            Settle(s, message, entry => (deadLetters ? s.DeadLetters : s.Active).Remove(entry));
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            var s = Entity;
            Settle(s, message, entry => bus.Release(s, entry));
            return Task.CompletedTask;
        }

        public override Task DeadLetterMessageAsync(
            ServiceBusReceivedMessage message, IDictionary<string, object> propertiesToModify, string deadLetterReason, string? deadLetterErrorDescription = null,
            CancellationToken cancellationToken = default)
        {
            var s = Entity;
            Settle(s, message, entry => MoveToDeadLetters(s, entry, deadLetterReason, deadLetterErrorDescription, propertiesToModify));
            return Task.CompletedTask;
        }

        public override Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Settle(Entity, message, bus.Renew);
            return Task.CompletedTask;
        }

        public override Task<ServiceBusReceivedMessage?> PeekMessageAsync(long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Peek(1).FirstOrDefault());

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(Peek(maxMessages));

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private List<ServiceBusReceivedMessage> Peek(int maxMessages)
        {
            var s = Entity;
            lock (s)
            {
                return (deadLetters ? s.DeadLetters : s.Active).Take(maxMessages).Select(e => e.ToMessage()).ToList();
            }
        }
    }
#pragma warning restore CA2215
}
