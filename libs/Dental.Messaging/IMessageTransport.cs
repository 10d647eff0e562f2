namespace Dental.Messaging;

/// <summary>
/// What a broker must offer the platform: publish to a topic, and peek-lock receive from a topic's
/// subscription with complete / abandon / dead-letter / renew. At-least-once, no ordering promise.
/// </summary>
public interface IMessageTransport
{
    Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken);

    /// <summary>Sends to one subscription of a topic only: a resubmitted dead letter must not reach the topic's other subscribers again.</summary>
    Task SendToSubscriptionAsync(string topic, string subscription, string messageId, BinaryData body, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxMessages"/> messages, locked for <paramref name="lockDuration"/>; empty when none arrive in time.</summary>
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

    Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken);
}

/// <summary>A dead-lettered message: its reason, the body as it was, the deliveries it had, and when it was dead-lettered.</summary>
public sealed record DeadLetter(string MessageId, string Reason, BinaryData Body, int DeliveryCount = 0, DateTimeOffset? DeadLetteredAt = null);
