namespace Dental.Testing;

/// <summary>
/// One test class's private corner of the shared emulators: its own blob containers, queue prefix and
/// Cosmos database, so classes run in parallel without seeing each other's data.
/// </summary>
public sealed class TestScope
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hmac-sha256";

    public TestScope(TestEmulators emulators)
    {
        Emulators = emulators;
        var id = Guid.NewGuid().ToString("N")[..12];
        OriginalsContainer = $"originals-{id}";
        PreviewsContainer = $"previews-{id}";
        QueuePrefix = $"t{id}";
        Database = $"dental-{id}";
    }

    public TestEmulators Emulators { get; }

    public string OriginalsContainer { get; }

    public string PreviewsContainer { get; }

    public string QueuePrefix { get; }

    public string Database { get; }

    /// <summary>This scope's queue of a subscription ("catalog", "thumbnailer", or either with "-poison") to a topic.</summary>
    public Azure.Storage.Queues.QueueClient Queue(string name, string topic = Dental.Contracts.Events.Topics.Images) =>
        Dental.Messaging.MessagingExtensions.CreateQueueService(new Dental.Messaging.StorageQueueSettings { ConnectionString = Emulators.StorageConnectionString })
            .GetQueueClient($"{QueuePrefix}{topic}-{name}");

    public static async Task<TestScope> CreateAsync() => new(await TestEmulators.GetAsync());

    /// <summary>Configuration a service under test needs to use this scope.</summary>
    public Dictionary<string, string?> ServiceSettings() => new()
    {
        ["Storage:ConnectionString"] = Emulators.StorageConnectionString,
        ["Storage:OriginalsContainer"] = OriginalsContainer,
        ["Storage:PreviewsContainer"] = PreviewsContainer,
        ["Storage:EnsureCreated"] = "true",
        ["Cosmos:ConnectionString"] = Emulators.CosmosConnectionString,
        ["Cosmos:Database"] = Database,
        ["Cosmos:AcceptEmulatorCertificate"] = "true",
        ["Cosmos:EnsureCreated"] = "true",
        ["Messaging:QueuePrefix"] = QueuePrefix,
        ["Messaging:EnsureCreated"] = "true",
        ["Messaging:StorageQueues:ConnectionString"] = Emulators.StorageConnectionString,
        ["Auth:SigningKey"] = SigningKey,
    };
}
