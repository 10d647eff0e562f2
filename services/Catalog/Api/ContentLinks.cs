using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Dental.AzureClients;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Api;

/// <summary>
/// Short-lived read-only links to a blob (Catalog:ContentSasMinutes), so large bytes bypass the service.
/// Signed with the account key where the client holds one (Azurite); in Azure, where shared keys are off,
/// with a user-delegation key requested with the service's identity and reused until shortly before it expires.
/// </summary>
public sealed class ContentLinks(ImageContainers containers, IOptions<CatalogOptions> options, TimeProvider time) : IDisposable
{
    // Clocks differ a little between this service and Storage: a link starts a few minutes in the past.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private UserDelegationKey? _delegationKey;

    public bool Enabled => options.Value.ContentSasMinutes > 0;

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.ContentSasMinutes);

    /// <summary>How long a client may cache the redirect: half the link's life, so a cached one never outlives its link.</summary>
    public TimeSpan RedirectCacheLifetime => Lifetime / 2;

    public async Task<Uri> ReadLinkAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + Lifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await DelegationKeyAsync(now, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blob.AccountName) }.ToUri();
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A link may not outlive the key that signed it.
        bool Fresh(UserDelegationKey? key) => key is not null && key.SignedExpiresOn > now + Lifetime + ClockSkew;
        if (Fresh(_delegationKey))
        {
            return _delegationKey!;
        }

        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (!Fresh(_delegationKey))
            {
                var service = containers.Originals.GetParentBlobServiceClient();
                _delegationKey = (await service.GetUserDelegationKeyAsync(now - ClockSkew, now + DelegationKeyLifetime, cancellationToken)).Value;
            }

            return _delegationKey!;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose() => _renewing.Dispose();
}
