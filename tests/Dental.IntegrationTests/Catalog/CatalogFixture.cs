using System.Net.Http.Headers;
using Azure.Messaging;
using Azure.Storage.Blobs.Models;
using Dental.Catalog;
using Dental.Catalog.Handlers;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;
using Dental.Upload.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Catalog;

/// <summary>The Catalog service in-process against the Cosmos emulator and Azurite, with helpers that make real blobs and events.</summary>
public sealed class CatalogFixture : ImageServiceFixture<CatalogOptions>
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Eventually.StatusAsync(Factory.CreateClient(), "/health/ready", System.Net.HttpStatusCode.OK);
    }

    protected override void Configure(Dictionary<string, string?> settings) => settings["Catalog:DocumentBudgetBytes"] = "16384";

    public HttpClient Client(string role = "clinician", string clinic = TestTokens.Clinic)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, clinic: clinic));
        return client;
    }

    /// <summary>Runs an event through the catalog's handler, as one delivery would.</summary>
    public async Task DeliverAsync<T>(T data)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        object handler = scope.ServiceProvider.GetRequiredService<ImageEventHandlers>();
        await ((IEventConsumerHandler<T>)handler).HandleAsync(data, new CloudEvent("test", typeof(T).Name, null), CancellationToken.None);
    }

    /// <summary>Stores an original and returns its ImageUploaded event (not yet delivered).</summary>
    public async Task<ImageUploaded> NewImageAsync(
        string patientId, string tooth = "11", string type = "xray", DateTimeOffset? takenAt = null, string? note = null, byte[]? bytes = null, string clinic = TestTokens.Clinic,
        VariantFacts? variant = null)
    {
        var patient = new PatientKey(clinic, patientId);
        var imageId = Guid.CreateVersion7();
        bytes ??= TestImages.JpegLike(800, 600, 2048, seed: imageId.GetHashCode());
        var blobName = variant is null ? BlobNames.Original(patient, tooth, type, imageId, "jpg") : BlobNames.Variant(patient, tooth, type, variant.Of, imageId, "jpg");
        var image = new ImageUploaded(imageId, clinic, patientId, tooth, "fdi", type, blobName, bytes.Length, "image/jpeg",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), 800, 600, "dr-who", DateTimeOffset.UtcNow, takenAt) { Variant = variant };
        // As the Upload service stores it: the file name and note on the original, not in the event.
        await Originals.GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), new BlobUploadOptions { Metadata = OriginalMetadata.For(image, new ImageText("scan.jpg", note)) });
        return image;
    }

    /// <summary>Stores preview blobs and returns the PreviewsReady event for <paramref name="image"/>.</summary>
    public async Task<PreviewsReady> PreviewsForAsync(ImageUploaded image)
    {
        var previews = new Dictionary<string, PreviewInfo>();
        foreach (var (size, edge) in new[] { (PreviewSize.Small, 200), (PreviewSize.Medium, 400) })
        {
            var name = image.PreviewName(size);
            var bytes = TestImages.JpegLike(edge, edge * 3 / 4, 1000 + edge, seed: edge);
            await Previews.GetBlobClient(name).UploadAsync(new BinaryData(bytes), overwrite: true);
            previews[size] = new PreviewInfo(name, edge, edge * 3 / 4, bytes.Length);
        }

        return new PreviewsReady(image.ImageId, image.ClinicId, image.PatientId, 800, 600, previews, DateTimeOffset.UtcNow);
    }

}
