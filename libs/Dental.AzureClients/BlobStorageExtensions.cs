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
    /// <summary>Deletes every blob under <paramref name="prefix"/> with its snapshots; returns how many it deleted (erasing again returns 0).</summary>
    public static async Task<int> DeleteAllUnderAsync(this BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            deleted += (await container.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value ? 1 : 0;
        }

        return deleted;
    }
}

/// <summary>The two containers every image lives in.</summary>
public sealed class ImageContainers(BlobServiceClient service, StorageOptions options)
{
    public BlobContainerClient Originals { get; } = service.GetBlobContainerClient(options.OriginalsContainer);

    public BlobContainerClient Previews { get; } = service.GetBlobContainerClient(options.PreviewsContainer);
}
