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
        ClinicsContainer = isolated ? $"clinics-{id}" : new Dental.Clinics.ClinicRegistryOptions().Container;
        AuditContainer = isolated ? $"audit-{id}" : new Dental.Audit.AuditOptions().Container;
        Database = isolated ? $"dental-{id}" : new CosmosOptions().Database;
    }

    public string StorageConnectionString { get; }

    public string CosmosConnectionString { get; }

    public string OriginalsContainer { get; }

    public string PreviewsContainer { get; }

    /// <summary>The Upload service's own container (dedupe, idempotency, outbox records).</summary>
    public string UploadRecordsContainer { get; }

    public string QueuePrefix { get; }

    /// <summary>The clinic registry's container: <see cref="TestTokens.Clinic"/> and <see cref="OtherClinic"/> are registered in it.</summary>
    public string ClinicsContainer { get; }

    /// <summary>The audit trail's container, written by the gateway and every service of this scope.</summary>
    public string AuditContainer { get; }

    /// <summary>A second registered clinic, for tests of what one clinic must not see of another.</summary>
    public const string OtherClinic = "clinic-b";

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
        var scope = new TestScope(emulators.StorageConnectionString, emulators.CosmosConnectionString);
        await scope.RegisterClinicsAsync();
        return scope;
    }

    /// <summary>
    /// Registers <see cref="TestTokens.Clinic"/> and <see cref="OtherClinic"/> in this scope's registry. Done before any service
    /// starts, so that a service's first request never meets an empty registry.
    /// </summary>
    public async Task RegisterClinicsAsync()
    {
        var clinics = Clinics();
        await clinics.Container.CreateIfNotExistsAsync();
        await clinics.RegisterAsync(TestTokens.Clinic, "test clinic", CancellationToken.None);
        await clinics.RegisterAsync(OtherClinic, "second test clinic", CancellationToken.None);
    }

    /// <summary>What the gateway, and every service, needs to read this scope's clinic registry.</summary>
    public Dictionary<string, string?> ClinicRegistrySettings() => new()
    {
        ["Storage:ConnectionString"] = StorageConnectionString,
        ["Storage:EnsureCreated"] = "true",
        ["Clinics:Container"] = ClinicsContainer,
        ["Clinics:CacheDuration"] = "00:00:00.500",
        ["Audit:Container"] = AuditContainer,
        ["Audit:RefusalFlushInterval"] = "00:00:01",
    };

    /// <summary>What the gateway needs besides its token settings: this scope's clinic registry and the addresses of its two backends.</summary>
    public Dictionary<string, string?> GatewaySettings(string upload, string catalog) => new(ClinicRegistrySettings())
    {
        ["ReverseProxy:Clusters:upload:Destinations:primary:Address"] = upload,
        ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = catalog,
    };

    /// <summary>Every audit record stored in this scope, as raw JSON lines (what Azure would keep), in no order.</summary>
    public async Task<IReadOnlyList<string>> AuditLinesAsync()
    {
        var container = new Azure.Storage.Blobs.BlobServiceClient(StorageConnectionString).GetBlobContainerClient(AuditContainer);
        var lines = new List<string>();
        if (!await container.ExistsAsync())
        {
            return lines;
        }

        await foreach (var blob in container.GetBlobsAsync())
        {
            var content = await container.GetBlobClient(blob.Name).DownloadContentAsync();
            lines.AddRange(content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return lines;
    }

    /// <summary>Every audit record stored in this scope, in no order.</summary>
    public async Task<IReadOnlyList<Dental.Audit.AuditRecord>> AuditRecordsAsync() =>
        [.. (await AuditLinesAsync()).Select(l => System.Text.Json.JsonSerializer.Deserialize<Dental.Audit.AuditRecord>(l, System.Text.Json.JsonSerializerOptions.Web)!)];

    /// <summary>The scope's clinic registry (cache off), where <see cref="CreateAsync"/> registered the two test clinics.</summary>
    public Dental.Clinics.ClinicRegistry Clinics() => new(
        new Azure.Storage.Blobs.BlobServiceClient(StorageConnectionString),
        Microsoft.Extensions.Options.Options.Create(new Dental.Clinics.ClinicRegistryOptions { Container = ClinicsContainer, CacheDuration = TimeSpan.Zero }),
        TimeProvider.System);

    /// <summary>Configuration a service under test needs to use this scope.</summary>
    public Dictionary<string, string?> ServiceSettings() => new(ClinicRegistrySettings())
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
