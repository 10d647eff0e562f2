using Azure.Storage.Blobs;
using Dental.AzureClients;
using Microsoft.Extensions.Options;

namespace Dental.Audit;

/// <summary>The audit trail's container: in its own storage account when <see cref="AuditOptions.BlobServiceUri"/> is set.</summary>
public sealed class AuditStore(BlobServiceClient platformStorage, IOptions<AuditOptions> options)
{
    public BlobContainerClient Container { get; } = (options.Value.BlobServiceUri is { } uri
            ? new BlobServiceClient(uri, AzureCredentials.Default, AzureClientDefaults.Configure(new BlobClientOptions()))
            : platformStorage)
        .GetBlobContainerClient(options.Value.Container);
}
