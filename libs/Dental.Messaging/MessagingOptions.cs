using System.ComponentModel.DataAnnotations;

namespace Dental.Messaging;

public enum MessagingTransport
{
    StorageQueues,
    ServiceBus,
}

public sealed class MessagingOptions : IValidatableObject
{
    public const string Section = "Messaging";

    public MessagingTransport Transport { get; set; } = MessagingTransport.StorageQueues;

    /// <summary>Prefix of every queue name (lets tests and several stacks share one storage account).</summary>
    [RegularExpression("^[a-z0-9-]{0,20}$")]
    public string QueuePrefix { get; set; } = "";

    /// <summary>Create missing queues (local emulators); in Azure the Bicep creates every entity.</summary>
    public bool EnsureCreated { get; set; }

    /// <summary>
    /// Subscriptions of each topic: with Storage Queues a publish goes to one queue per subscription.
    /// Empty means <see cref="DefaultTopics"/> (a default inside the dictionary would merge with configured arrays).
    /// </summary>
    public Dictionary<string, string[]> Topics { get; set; } = [];

    public static Dictionary<string, string[]> DefaultTopics => new() { ["images"] = ["thumbnailer", "catalog"], ["image-results"] = ["catalog"], ["renditions"] = ["thumbnailer"], ["patients"] = ["upload", "thumbnailer", "catalog"] };

    /// <summary>Deliveries before a message is dead-lettered (Service Bus: must match the subscription's MaxDeliveryCount).</summary>
    [Range(1, 100)]
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>
    /// Deliveries allowed while the failure is transient (a dependency down, throttling). An outage does not spend
    /// them one per retry: the consumer stops receiving until the service is ready again (<see cref="DependencyGate"/>),
    /// so each outage costs the messages in flight one delivery. Service Bus: the subscription's MaxDeliveryCount is this.
    /// </summary>
    [Range(1, 1000)]
    public int MaxTransientDeliveryAttempts { get; set; } = 10;

    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How long a received message stays invisible to others; renewed while its handler runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest a message's lock is renewed while its handler runs (or waits for a dependency to come back): after it the
    /// message is delivered again, which costs one delivery.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxLockRenewal { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest pause between polls of an idle queue (polling is immediate while messages flow).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan MaxIdlePollDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>First retry delay after a failure; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long in-flight handlers may finish on shutdown before they are cancelled and their messages released.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dead letter is kept for operators to inspect and resubmit; older ones are removed by each consumer's sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often each consuming service sweeps its subscriptions' dead letters for ones past <see cref="DeadLetterRetention"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan DeadLetterSweepInterval { get; set; } = TimeSpan.FromHours(1);

    public StorageQueueSettings StorageQueues { get; set; } = new();

    public ServiceBusSettings ServiceBus { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Transport == MessagingTransport.StorageQueues && string.IsNullOrWhiteSpace(StorageQueues.ConnectionString) && StorageQueues.ServiceUri is null)
        {
            yield return new ValidationResult("Set Messaging:StorageQueues:ConnectionString or Messaging:StorageQueues:ServiceUri.", ["StorageQueues"]);
        }

        if (Transport == MessagingTransport.ServiceBus && ServiceBus.Endpoint is null && string.IsNullOrWhiteSpace(ServiceBus.ConnectionString))
        {
            yield return new ValidationResult("Set Messaging:ServiceBus:Endpoint (https://{namespace}.servicebus.windows.net/, Microsoft Entra ID) or Messaging:ServiceBus:ConnectionString.", ["ServiceBus"]);
        }
    }
}

public sealed class StorageQueueSettings
{
    public string? ConnectionString { get; set; }

    public Uri? ServiceUri { get; set; }
}

public sealed class ServiceBusSettings
{
    /// <summary>The namespace, reached with Microsoft Entra ID (the managed identity, or a developer's sign-in).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Instead of <see cref="Endpoint"/>: a connection string (a SAS policy, or the Service Bus emulator) — locked-down namespaces disable SAS.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Longest wait of one receive call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:04:00")]
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Messages fetched ahead of the handlers (0: none; a prefetched message's lock runs while it waits).</summary>
    [Range(0, 1000)]
    public int PrefetchCount { get; set; }

    /// <summary>Longest wait of one receive from a dead-letter queue (an operator's resubmit or purge, the retention sweep): short, since an empty queue is the usual answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DeadLetterReceiveTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
