using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.AzureClients;

public static class BlobStorageExtensions
{
    /// <summary>The storage account's Blob service client (registered once, whoever asks first).</summary>
    public static IHostApplicationBuilder AddBlobServiceClient(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(BlobServiceClient)))
        {
            return builder;
        }

        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = AzureClientDefaults.Configure(new BlobClientOptions());
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new BlobServiceClient(options.BlobServiceUri, AzureCredentials.Default, clientOptions)
                : new BlobServiceClient(options.ConnectionString, clientOptions);
        });
        return builder;
    }

    /// <summary>The Blob service client, the image containers, and a readiness check that reaches them.</summary>
    public static IHostApplicationBuilder AddBlobStorage(this IHostApplicationBuilder builder)
    {
        builder.AddBlobServiceClient();
        builder.Services.AddSingleton(sp => new ImageContainers(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddStartupInitializer("blob containers", async (sp, ct) =>
        {
            if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.EnsureCreated)
            {
                var containers = sp.GetRequiredService<ImageContainers>();
                await containers.Originals.CreateIfNotExistsAsync(cancellationToken: ct);
                await containers.Previews.CreateIfNotExistsAsync(cancellationToken: ct);
            }
        });
        builder.Services.AddHealthChecks().AddReadinessProbe("blob", (sp, ct) =>
            sp.GetRequiredService<ImageContainers>().Originals.GetPropertiesAsync(cancellationToken: ct));
        return builder;
    }
}

public static class BlobContainerExtensions
{
    /// <summary>
    /// Erases every blob under <paramref name="prefix"/> with every earlier version and snapshot of it (erasing again finds
    /// nothing). The platform's accounts keep versioning off (deploy/bicep/modules/storage.bicep), but an account with it on
    /// would otherwise keep each erased blob as a previous version; what soft delete then keeps expires by itself.
    /// </summary>
    public static async Task<ErasedBlobs> EraseAllUnderAsync(this BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var (blobs, copies) = (0, 0);
        var listing = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Version | BlobStates.Snapshots }, cancellationToken);
        await foreach (var page in listing.AsPages())
        {
            // A patient can have thousands of blobs: deletes run side by side, a page at a time.
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = EraseParallelism, CancellationToken = cancellationToken }, async (item, ct) =>
            {
                var blob = container.GetBlobClient(item.Name);
                if (item.Snapshot is { Length: > 0 } snapshot)
                {
                    Interlocked.Add(ref copies, (await blob.WithSnapshot(snapshot).DeleteIfExistsAsync(cancellationToken: ct)).Value.AsCount());
                }
                else if (item.VersionId is { Length: > 0 } version && item.IsLatestVersion != true)
                {
                    Interlocked.Add(ref copies, (await blob.WithVersion(version).DeleteIfExistsAsync(cancellationToken: ct)).Value.AsCount());
                }
                else
                {
                    Interlocked.Add(ref blobs, (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct)).Value.AsCount());
                }
            });
        }

        return new ErasedBlobs(blobs, copies);
    }

    private const int EraseParallelism = 16;

    private static int AsCount(this bool deleted) => deleted ? 1 : 0;
}

/// <summary>What an erasure removed from one container: current blobs, and earlier versions and snapshots.</summary>
public sealed record ErasedBlobs(int Blobs, int Copies);

/// <summary>The two containers every image lives in.</summary>
public sealed class ImageContainers(BlobServiceClient service, StorageOptions options)
{
    public BlobContainerClient Originals { get; } = service.GetBlobContainerClient(options.OriginalsContainer);

    public BlobContainerClient Previews { get; } = service.GetBlobContainerClient(options.PreviewsContainer);
}
