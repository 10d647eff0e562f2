using System.Text.RegularExpressions;
using Dental.AzureClients;
using Dental.Contracts;

namespace Dental.Testing;

/// <summary>
/// Where a test's data lives: the storage and Cosmos connection strings, and the containers, queue prefix
/// and database the services use. On the shared test emulators each test class gets a private corner (its
/// own containers, queues and database) so classes run in parallel without seeing each other's data; a
/// whole platform started through its app host has emulators of its own and uses the default names.
/// </summary>
public sealed partial class TestScope
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hmac-sha256";

    public TestScope(string storageConnectionString, string cosmosConnectionString, bool isolated = true)
    {
        StorageConnectionString = storageConnectionString;
        CosmosConnectionString = cosmosConnectionString;
        var id = Guid.NewGuid().ToString("N")[..12];
        OriginalsContainer = isolated ? $"originals-{id}" : BlobNames.OriginalsContainer;
        PreviewsContainer = isolated ? $"previews-{id}" : BlobNames.PreviewsContainer;
        UploadRecordsContainer = isolated ? $"upload-records-{id}" : new Dental.Upload.Store.UploadRecordsOptions().Container;
        QueuePrefix = isolated ? $"t{id}" : "";
        Database = isolated ? $"dental-{id}" : new CosmosOptions().Database;
    }

    public string StorageConnectionString { get; }

    public string CosmosConnectionString { get; }

    public string OriginalsContainer { get; }

    public string PreviewsContainer { get; }

    /// <summary>The Upload service's own container (dedupe, idempotency, outbox records).</summary>
    public string UploadRecordsContainer { get; }

    public string QueuePrefix { get; }

    public string Database { get; }

    /// <summary>This scope's queue of a subscription ("catalog", "thumbnailer", or either with "-poison") to a topic.</summary>
    public Azure.Storage.Queues.QueueClient Queue(string name, string topic = Dental.Contracts.Events.Topics.Images) =>
        Dental.Messaging.MessagingExtensions.CreateQueueService(new Dental.Messaging.StorageQueueSettings { ConnectionString = StorageConnectionString })
            .GetQueueClient($"{QueuePrefix}{topic}-{name}");

    /// <summary>The storage connection string with the blob or queue endpoint moved to a port nothing listens on: an outage.</summary>
    public string StorageConnectionStringWithout(string service) =>
        EndpointPort().Replace(StorageConnectionString, m => m.Groups["service"].Value.Equals(service, StringComparison.OrdinalIgnoreCase)
            ? $"{m.Groups["prefix"].Value}{FreePort.Next()}/"
            : m.Value);

    /// <summary>A scope of its own on the emulators shared by the whole test run.</summary>
    public static async Task<TestScope> CreateAsync()
    {
        var emulators = await TestEmulators.GetAsync();
        return new TestScope(emulators.StorageConnectionString, emulators.CosmosConnectionString);
    }

    /// <summary>Configuration a service under test needs to use this scope.</summary>
    public Dictionary<string, string?> ServiceSettings() => new()
    {
        ["Storage:ConnectionString"] = StorageConnectionString,
        ["Storage:OriginalsContainer"] = OriginalsContainer,
        ["Storage:PreviewsContainer"] = PreviewsContainer,
        ["Storage:EnsureCreated"] = "true",
        ["UploadRecords:Container"] = UploadRecordsContainer,
        ["Cosmos:ConnectionString"] = CosmosConnectionString,
        ["Cosmos:Database"] = Database,
        ["Cosmos:AcceptEmulatorCertificate"] = "true",
        ["Cosmos:EnsureCreated"] = "true",
        ["Messaging:QueuePrefix"] = QueuePrefix,
        ["Messaging:EnsureCreated"] = "true",
        ["Messaging:StorageQueues:ConnectionString"] = StorageConnectionString,
        ["Auth:SigningKey"] = SigningKey,
    };

    [GeneratedRegex(@"(?<prefix>(?<service>Blob|Queue)Endpoint=http://127\.0\.0\.1:)\d+/")]
    private static partial Regex EndpointPort();
}
