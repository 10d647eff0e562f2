using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dental.Contracts.Api;
using Dental.Testing;
using static Dental.Testing.TusRequests;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>Resumable uploads through the whole platform: the real tus-js-client over a connection that breaks, and an Upload service restarted mid-way.</summary>
public sealed class ResumableUploadTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private const int ChunkBytes = 512 * 1024;

    /// <summary>A real, decodable PNG of random pixels (so it does not compress): about 3 MB.</summary>
    private static byte[] NoisePhoto(int seed)
    {
        var random = new Random(seed);
        return TestImages.Png(1000, 1000, sample: (_, _, _) => random.Next(256));
    }

    [Fact]
    public async Task Tus_js_client_over_a_connection_cut_several_times_stores_the_file_byte_identical_with_previews()
    {
        var platform = fixture.Platform;
        var patient = Guid.NewGuid().ToString();
        var photo = NoisePhoto(seed: 25);
        var file = Path.Combine(Path.GetTempPath(), $"dental-tus-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, photo);
        await using var proxy = new CuttingProxy(platform.GatewayAddress, cutEvery: 700 * 1024, cuts: 3);
        try
        {
            using var run = new TestProcess("tus-js-client", "node", ["e2e/tus-upload.mjs"], RepositoryPaths.Web, new Dictionary<string, string?>
            {
                ["DENTAL_TUS_ENDPOINT"] = new Uri(proxy.Address, $"/api/v1/patients/{patient}/uploads").ToString(),
                ["DENTAL_TOKEN"] = TestTokens.For("clinician"),
                ["DENTAL_FILE"] = file,
                ["DENTAL_CHUNK_BYTES"] = ChunkBytes.ToString(CultureInfo.InvariantCulture),
                ["DENTAL_METADATA"] = JsonSerializer.Serialize(new { tooth = "8", notation = "universal", type = "clinical", note = "buccal, before bonding" }),
            });
            Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, run.Output);

            using var outcome = JsonDocument.Parse(run.Output.Split('\n').Last(l => l.StartsWith('{')));
            Assert.Equal(3, proxy.Cuts);
            Assert.True(outcome.RootElement.GetProperty("retries").GetInt32() >= 3, run.Output);
            Assert.False(outcome.RootElement.GetProperty("duplicate").GetBoolean());
            var location = outcome.RootElement.GetProperty("imageLocation").GetString()!;
            var imageId = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);

            var client = platform.Client();
            var image = await PlatformFixture.WaitUntilReadyAsync(client, patient, imageId);
            Assert.Equal(ImageStatus.Ready, image.Status);
            Assert.Equal(("11", "8", "universal", "clinical"), (image.Tooth, image.EnteredTooth, image.Notation, image.Type));
            Assert.Equal((photo.LongLength, "buccal, before bonding", Path.GetFileName(file)), (image.SizeBytes, image.Note, image.OriginalFileName));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo)), image.Sha256);
            Assert.Equal(photo, await client.GetByteArrayAsync($"{location}/content"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{location}/previews/small")).StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_upload_goes_on_after_the_Upload_service_restarts_between_two_requests()
    {
        var platform = fixture.Platform;
        var patient = Guid.NewGuid().ToString();
        var photo = NoisePhoto(seed: 26);
        var client = platform.Client();

        using var create = Create(patient, photo.Length, Metadata(("tooth", "36"), ("type", "xray"), ("filename", "bitewing.png")));
        var created = await client.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!.OriginalString;

        var first = await client.SendAsync(Patch(upload, photo, 0, 1_000_000));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        await platform.KillAsync("upload");
        await platform.StartAsync("upload");

        var offset = await Eventually.ReturnsAsync(async () =>
        {
            var head = await client.SendAsync(Tus(HttpMethod.Head, upload));
            return head.IsSuccessStatusCode ? long.Parse(head.Headers.GetValues(TusProtocol.UploadOffset).Single(), CultureInfo.InvariantCulture) : -1;
        }, o => o >= 0, "the restarted Upload service to answer");
        Assert.Equal(1_000_000, offset);

        var last = await client.SendAsync(Patch(upload, photo, 1_000_000, photo.Length - 1_000_000));
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var location = last.Headers.GetValues(TusProtocol.ImageLocation).Single();
        var image = await PlatformFixture.WaitUntilReadyAsync(client, patient, Guid.Parse(location[(location.LastIndexOf('/') + 1)..]));
        Assert.Equal(ImageStatus.Ready, image.Status);
        Assert.Equal(photo, await client.GetByteArrayAsync($"{location}/content"));
    }
}
