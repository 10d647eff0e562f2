namespace Dental.Messaging;

/// <summary>
/// What a broker must offer the platform: publish to a topic, and deliver a topic's subscription peek-locked to a
/// handler that completes, abandons or dead-letters each message (locks renewed while it runs). At-least-once,
/// no ordering promise.
/// </summary>
public interface IMessageTransport
{
    Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken);

    /// <summary>Sends to one subscription of a topic only: a resubmitted dead letter must not reach the topic's other subscribers again.</summary>
    Task SendToSubscriptionAsync(string topic, string subscription, string messageId, BinaryData body, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers the subscription's messages to <paramref name="handle"/>, at most <see cref="MessagingOptions.MaxConcurrency"/> at a
    /// time, each lock renewed while its handler runs (up to <see cref="MessagingOptions.MaxLockRenewal"/>).
    /// </summary>
    IMessageProcessor CreateProcessor(string topic, string subscription, Func<IReceivedMessage, Task> handle);

    /// <summary>Up to <paramref name="maxMessages"/> messages, locked for <paramref name="lockDuration"/> and not renewed; empty when none arrive in time.</summary>
    Task<IReadOnlyList<IReceivedMessage>> ReceiveAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken);

    /// <summary>Makes sure the topic's queues or entities exist (local emulators); no-op where infrastructure owns them.</summary>
    Task EnsureCreatedAsync(string topic, string subscription, CancellationToken cancellationToken);

    /// <summary>Readiness: the broker is reachable and accepts this service's credentials, without touching any message.</summary>
    Task ProbeAsync(string topic, string subscription, CancellationToken cancellationToken);

    /// <summary>Dead-lettered messages of a subscription, for operations and tests.</summary>
    Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string topic, string subscription, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Dead letters locked for <paramref name="lockDuration"/> (where the broker lets the caller choose), to be removed or released.</summary>
    Task<IReadOnlyList<ILockedDeadLetter>> ReceiveDeadLettersAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken);
}

/// <summary>A dead letter taken out of sight of other operators until it is removed or released.</summary>
public interface ILockedDeadLetter
{
    DeadLetter Letter { get; }

    Task RemoveAsync(CancellationToken cancellationToken);

    Task ReleaseAsync(CancellationToken cancellationToken);
}

public interface IReceivedMessage
{
    string MessageId { get; }

    BinaryData Body { get; }

    /// <summary>1 on first delivery.</summary>
    int DeliveryCount { get; }

    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Releases the message for redelivery after about <paramref name="delay"/>.</summary>
    Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken);

    Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>A subscription's message pump.</summary>
public interface IMessageProcessor : IAsyncDisposable
{
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops receiving, then waits for the handlers in flight (the caller cancels them when it will wait no longer).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>A dead-lettered message: its reason, the body as it was, the deliveries it had, and when it was dead-lettered.</summary>
public sealed record DeadLetter(string MessageId, string Reason, BinaryData Body, int DeliveryCount = 0, DateTimeOffset? DeadLetteredAt = null);
