using System.Net.Http.Headers;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Dental.Messaging;
using Dental.Testing;
using Dental.Upload;

namespace Dental.IntegrationTests.Upload;

/// <summary>The Upload service in-process against real Azurite, with small limits so limit tests stay fast.</summary>
public sealed class UploadFixture : IAsyncLifetime
{
    public const int MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxFiles = 3;

    public TestScope Scope { get; private set; } = null!;

    public ServiceFactory<UploadOptions> Factory { get; private set; } = null!;

    public BlobContainerClient Originals { get; private set; } = null!;

    /// <summary>The Upload service's own container: dedupe markers, idempotency records, outbox.</summary>
    public BlobContainerClient Records { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scope = await TestScope.CreateAsync();
        Factory = new ServiceFactory<UploadOptions>(Settings(Scope));
        Originals = new BlobServiceClient(Scope.StorageConnectionString).GetBlobContainerClient(Scope.OriginalsContainer);
        await Originals.CreateIfNotExistsAsync();
        Records = new BlobServiceClient(Scope.StorageConnectionString).GetBlobContainerClient(Scope.UploadRecordsContainer);
        await Records.CreateIfNotExistsAsync();
    }

    public static Dictionary<string, string?> Settings(TestScope scope)
    {
        var settings = scope.ServiceSettings();
        settings["Upload:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Upload:MaxFilesPerRequest"] = MaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Upload:MaxPixels"] = "100000000";
        return settings;
    }

    public HttpClient Client(string role = "clinician", string subject = "dr-who")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject));
        return client;
    }

    public QueueClient Queue(string subscription) => Scope.Queue(subscription);

    /// <summary>Every committed blob in the originals container, or in another one of this scope's.</summary>
    public async Task<List<string>> BlobNamesAsync(BlobContainerClient? container = null)
    {
        var names = new List<string>();
        await foreach (var blob in (container ?? Originals).GetBlobsAsync(new GetBlobsOptions()))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
