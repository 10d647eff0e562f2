using System.Net;
using System.Web;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Dental.AzureClients;

namespace Dental.UnitTests;

/// <summary>
/// Azurite keeps no blob versions, so what an account with versioning and snapshots answers is played here at the SDK's
/// transport: the real client lists and deletes; the listing is fake. The erasure must delete every earlier version and
/// snapshot, not only the current blobs.
/// </summary>
public class BlobErasureTests
{
    private const string Snapshot = "2026-11-30T10:00:00.0000000Z";

    [Fact]
    public async Task Erasing_a_prefix_deletes_every_earlier_version_and_snapshot_and_the_current_blobs()
    {
        var service = new VersionedBlobService($"""
            <?xml version="1.0" encoding="utf-8"?>
            <EnumerationResults ServiceEndpoint="https://account.blob.core.windows.net/" ContainerName="originals">
              <Prefix>c/p/</Prefix>
              <Blobs>
                <Blob><Name>c/p/11/xray/a.jpg</Name><VersionId>2026-11-01T10:00:00.0000000Z</VersionId><Properties /></Blob>
                <Blob><Name>c/p/11/xray/a.jpg</Name><Snapshot>{Snapshot}</Snapshot><Properties /></Blob>
                <Blob><Name>c/p/11/xray/a.jpg</Name><VersionId>2026-11-02T10:00:00.0000000Z</VersionId><IsCurrentVersion>true</IsCurrentVersion><Properties /></Blob>
                <Blob><Name>c/p/21/before/b.jpg</Name><Properties /></Blob>
              </Blobs>
              <NextMarker />
            </EnumerationResults>
            """);
        var container = new BlobContainerClient(new Uri("https://account.blob.core.windows.net/originals"),
            new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(service)), Retry = { MaxRetries = 0 } });

        var erased = await container.EraseAllUnderAsync("c/p/", CancellationToken.None);

        Assert.Equal(new ErasedBlobs(Blobs: 2, Copies: 2), erased);
        Assert.Equal("c/p/", service.Listed!["prefix"]);
        Assert.Equal(["snapshots", "versions"], service.Listed!["include"]!.ToLowerInvariant().Split(',').Order());
        string[] expected =
        [
            "/originals/c/p/11/xray/a.jpg versionid=2026-11-01T10:00:00.0000000Z",
            $"/originals/c/p/11/xray/a.jpg snapshot={Snapshot}",
            "/originals/c/p/11/xray/a.jpg with its snapshots",
            "/originals/c/p/21/before/b.jpg with its snapshots",
        ];
        // Deletes run side by side: the set matters, not the order.
        Assert.Equal(expected.Order(), service.Deleted.Order());
    }

    /// <summary>Answers one listing and accepts every delete, recording what each one named.</summary>
    private sealed class VersionedBlobService(string listing) : HttpMessageHandler
    {
        public System.Collections.Specialized.NameValueCollection? Listed { get; private set; }

        public System.Collections.Concurrent.ConcurrentQueue<string> Deleted { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            if (request.Method == HttpMethod.Get && query["comp"] == "list")
            {
                Listed = query;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(listing.Trim(), System.Text.Encoding.UTF8, "application/xml") });
            }

            Assert.Equal(HttpMethod.Delete, request.Method);
            var copy = query["versionid"] is { } version ? $"versionid={version}" : query["snapshot"] is { } snapshot ? $"snapshot={snapshot}" : null;
            var withSnapshots = request.Headers.TryGetValues("x-ms-delete-snapshots", out var values) && values.Single() == "include";
            Deleted.Enqueue($"{Uri.UnescapeDataString(request.RequestUri.AbsolutePath)} {copy ?? (withSnapshots ? "with its snapshots" : "alone")}");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
        }
    }
}
