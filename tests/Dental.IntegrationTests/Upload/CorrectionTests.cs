using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;
using Dental.Upload;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Upload;

/// <summary>
/// The Upload service's step of a correction against real Azurite: the original moves with its metadata rewritten, later duplicates
/// answer with the new place, and a move cut short at any step (faults injected into the Blob SDK's pipeline) finishes when run
/// again with exactly one verified copy.
/// </summary>
public class CorrectionTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private async Task<ImageResource> UploadAsync(string patient, byte[] bytes)
    {
        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "xray", bytes).Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Assert.Single((await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!.Items);
    }

    private static ImageCorrection CorrectionOf(ImageResource image, string tooth = "21", string type = "before") =>
        new(image.Id, Testing.TestTokens.Clinic, image.PatientId, Guid.NewGuid(), image.Tooth, image.Type, tooth, "fdi", type, new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));

    private async Task HandleAsync(ImageCorrection correction)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Dental.Upload.CorrectionHandler>().HandleAsync(correction, new CloudEvent("test", ImageCorrection.Requested, null), CancellationToken.None);
    }

    private async Task<List<string>> NamesUnderAsync(string prefix) =>
        [.. (await fixture.BlobNamesAsync()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public async Task The_original_moves_with_its_metadata_and_a_later_duplicate_answers_with_the_new_place()
    {
        var patient = Guid.NewGuid().ToString();
        var bytes = TestImages.JpegLike(320, 240, seed: 11);
        var image = await UploadAsync(patient, bytes);
        var correction = CorrectionOf(image);

        await HandleAsync(correction);

        Assert.Empty(await NamesUnderAsync(correction.FromPrefix));
        var moved = Assert.Single(await NamesUnderAsync(correction.ToPrefix));
        var properties = (await fixture.Originals.GetBlobClient(moved).GetPropertiesAsync()).Value;
        Assert.Equal(("fdi", "2026-02-03T04:05:06.0000000+00:00", image.Sha256), (properties.Metadata["notation"], properties.Metadata["takenat"], properties.Metadata["sha256"]));
        Assert.Equal(bytes, (await fixture.Originals.GetBlobClient(moved).DownloadContentAsync()).Value.Content.ToArray());
        // The Thumbnailer is handed the next step.
        var handed = (await fixture.Scope.Queue("thumbnailer", Topics.Patients).PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!)
            .Where(e => e.Type == ImageCorrection.OriginalMoved).Select(e => e.DataAs<ImageCorrection>());
        Assert.Contains(correction, handed);

        var again = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "xray", bytes).Build());
        var duplicate = Assert.Single((await again.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!.Items);
        Assert.Equal((true, "21", "before", $"originals/{moved}"), (duplicate.Duplicate, duplicate.Tooth, duplicate.Type, duplicate.BlobPath));

        // Run again (a repeated delivery): nothing changes.
        await HandleAsync(correction);
        Assert.Equal([moved], await NamesUnderAsync($"{Testing.TestTokens.Clinic}/{patient}/"));
    }

    [Theory]
    [InlineData("PUT")] // the copy's commit: its blocks are staged, never committed
    [InlineData("DELETE")] // the source's delete, after the copy is written and verified
    public async Task A_move_cut_short_finishes_when_run_again_with_one_verified_copy(string failingMethod)
    {
        var patient = Guid.NewGuid().ToString();
        var bytes = TestImages.JpegLike(640, 480, seed: 12);
        var image = await UploadAsync(patient, bytes);
        var correction = CorrectionOf(image, "31", "clinical");

        var crashing = new BlobServiceClient(fixture.Scope.StorageConnectionString, FailingOnce(failingMethod)).GetBlobContainerClient(fixture.Scope.OriginalsContainer);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            crashing.MoveAllUnderAsync(correction.FromPrefix, correction.ToPrefix, m => Dental.Upload.Store.OriginalMetadata.Correct(m, correction), CancellationToken.None));
        // Cut short: the source is always still there (a copy is verified before its source goes); the copy exists only if its write finished.
        Assert.Single(await NamesUnderAsync(correction.FromPrefix));
        Assert.Equal(failingMethod == "DELETE" ? 1 : 0, (await NamesUnderAsync(correction.ToPrefix)).Count);

        await HandleAsync(correction);

        Assert.Empty(await NamesUnderAsync(correction.FromPrefix));
        var moved = Assert.Single(await NamesUnderAsync(correction.ToPrefix));
        Assert.Equal(bytes, (await fixture.Originals.GetBlobClient(moved).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_blob_at_the_target_that_is_not_the_sources_copy_is_replaced_and_the_source_kept_until_then()
    {
        var patient = Guid.NewGuid().ToString();
        var bytes = TestImages.JpegLike(320, 240, seed: 13);
        var image = await UploadAsync(patient, bytes);
        var correction = CorrectionOf(image);
        var target = Dental.Contracts.BlobNames.Moved(image.BlobPath["originals/".Length..], correction.FromPrefix, correction.ToPrefix);
        await fixture.Originals.GetBlobClient(target).UploadAsync(new BinaryData(new byte[10]));

        await HandleAsync(correction);

        Assert.Equal(bytes, (await fixture.Originals.GetBlobClient(target).DownloadContentAsync()).Value.Content.ToArray());
        Assert.Empty(await NamesUnderAsync(correction.FromPrefix));
    }

    private static BlobClientOptions FailingOnce(string method)
    {
        var options = new BlobClientOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(new FailFirstRequest(method), HttpPipelinePosition.PerCall);
        return options;
    }

    /// <summary>
    /// Fails the first request that writes or deletes a whole blob (a PUT of the blob or of its block list, a DELETE) with the given
    /// method before it is sent, as a process killed at that point would leave things.
    /// </summary>
    private sealed class FailFirstRequest(string method) : HttpPipelineSynchronousPolicy
    {
        private int failed;

        public override void OnSendingRequest(HttpMessage message)
        {
            var query = message.Request.Uri.Query;
            var whole = !query.Contains("comp=", StringComparison.Ordinal) || query.Contains("comp=blocklist", StringComparison.Ordinal);
            if (message.Request.Method.Method == method && whole && Interlocked.Exchange(ref failed, 1) == 0)
            {
                throw new RequestFailedException(503, $"injected fault before {method}");
            }
        }
    }
}
