using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs.Models;
using Dental.Audit;
using Dental.Contracts.Api;
using Dental.Messaging;
using Dental.Testing;
using static Dental.Testing.TusRequests;
using Dental.Upload;
using Dental.Upload.Resumable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dental.IntegrationTests.Upload;

/// <summary>The tus 1.0 endpoints of the Upload service, in-process against real Azurite.</summary>
public class ResumableUploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private static readonly byte[] Photo = NoisePng(seed: 1);

    /// <summary>A real PNG of random pixels (about 1 MB, below the fixture's 2 MB limit).</summary>
    private static byte[] NoisePng(int seed)
    {
        var random = new Random(seed);
        return TestImages.Png(580, 580, sample: (_, _, _) => random.Next(256));
    }

    [Fact]
    public async Task Discovery_names_the_protocol_its_extensions_and_the_size_limit()
    {
        var response = await fixture.Client().SendAsync(new HttpRequestMessage(HttpMethod.Options, $"/api/v1/patients/{Guid.NewGuid()}/uploads"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(TusProtocol.Version, Header(response, TusProtocol.SupportedVersions));
        Assert.Equal(TusProtocol.Extensions, Header(response, TusProtocol.Extension));
        Assert.Equal(UploadFixture.MaxFileBytes.ToString(CultureInfo.InvariantCulture), Header(response, TusProtocol.MaxSize));
        Assert.Equal("sha256", Header(response, TusProtocol.ChecksumAlgorithms));
    }

    [Fact]
    public async Task A_file_sent_in_pieces_of_any_size_is_stored_and_announced_as_a_multipart_upload_is_and_audited_once()
    {
        var patient = Guid.NewGuid().ToString();
        var client = fixture.Client(subject: "dr-tus");
        var upload = await CreateAsync(client, patient, Photo.Length, Metadata(("tooth", "8"), ("notation", "universal"), ("type", "xray"), ("filename", "C:\\sensor\\bitewing.png")));

        // 10 bytes do not show a PNG's size yet: they are kept until the header can be judged.
        foreach (var (offset, count) in new[] { (0, 10), (10, 100_000), (100_010, 4) })
        {
            var piece = await client.SendAsync(Patch(upload, Photo, offset, count));
            Assert.Equal(HttpStatusCode.NoContent, piece.StatusCode);
            Assert.Equal((offset + count).ToString(CultureInfo.InvariantCulture), Header(await client.SendAsync(Tus(HttpMethod.Head, upload)), TusProtocol.UploadOffset));
            Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.Contains(patient, StringComparison.Ordinal));
        }

        var last = await client.SendAsync(Patch(upload, Photo, 100_014, Photo.Length - 100_014));
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var location = Header(last, TusProtocol.ImageLocation);
        Assert.Equal("false", Header(last, TusProtocol.ImageDuplicate));
        var imageId = location[(location.LastIndexOf('/') + 1)..];
        var blobName = $"{TestTokens.Clinic}/{patient}/11/xray/{imageId}.png";
        Assert.Contains(blobName, await fixture.BlobNamesAsync());
        var blob = fixture.Originals.GetBlobClient(blobName);
        Assert.Equal(Photo, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Photo)), properties.Metadata["sha256"]);
        Assert.Equal("image/png", properties.ContentType);
        var announced = (await fixture.Queue("catalog").PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!)
            .Single(e => e.Subject!.Contains(imageId, StringComparison.Ordinal));
        var uploaded = announced.DataAs<Dental.Contracts.Events.ImageUploaded>();
        Assert.Equal(("11", "universal", Photo.LongLength), (uploaded.Tooth, uploaded.Notation, uploaded.SizeBytes));

        // Finished: asking again, or resending the last request, gives the same answer.
        var head = await client.SendAsync(Tus(HttpMethod.Head, upload));
        Assert.Equal((Photo.Length.ToString(CultureInfo.InvariantCulture), location), (Header(head, TusProtocol.UploadOffset), Header(head, TusProtocol.ImageLocation)));
        var replay = await client.SendAsync(Patch(upload, Photo, Photo.Length, 0));
        Assert.Equal((HttpStatusCode.NoContent, location), (replay.StatusCode, Header(replay, TusProtocol.ImageLocation)));

        // The same bytes again, whole in the creating request: the stored image, said to be a duplicate.
        using var again = Create(patient, Photo.Length, Metadata(("tooth", "11"), ("type", "xray")));
        again.Content = Bytes(Photo, 0, Photo.Length);
        var duplicate = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.Created, duplicate.StatusCode);
        Assert.Equal((location, "true"), (Header(duplicate, TusProtocol.ImageLocation), Header(duplicate, TusProtocol.ImageDuplicate)));
        Assert.Single(await fixture.BlobNamesAsync(), n => n.StartsWith($"{TestTokens.Clinic}/{patient}/", StringComparison.Ordinal));

        // As one multipart upload is: one record for the request that stored the image, none for the pieces.
        var records = (await fixture.Scope.AuditRecordsAsync()).Where(r => r.PatientId == patient).OrderBy(r => r.Time).ToList();
        Assert.Equal([(204, imageId), (201, imageId)], records.Select(r => (r.Outcome, r.ImageIds.Single())));
        Assert.All(records, r => Assert.Equal((AuditActions.ImagesUpload, "dr-tus"), (r.Action, r.Actor)));
    }

    [Fact]
    public async Task Bad_requests_get_clear_problems_and_create_nothing()
    {
        var patient = Guid.NewGuid().ToString();
        var client = fixture.Client();
        var before = await ResumableStatesAsync();
        var path = $"/api/v1/patients/{patient}/uploads";

        async Task<(HttpStatusCode Status, JsonElement Problem)> CreateWith(string? length, string? metadata, bool tusHeader = true)
        {
            using var request = tusHeader ? Tus(HttpMethod.Post, path) : new HttpRequestMessage(HttpMethod.Post, path);
            if (length is not null)
            {
                request.Headers.Add(TusProtocol.UploadLength, length);
            }

            if (metadata is not null)
            {
                request.Headers.Add(TusProtocol.UploadMetadata, metadata);
            }

            var response = await client.SendAsync(request);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        var valid = Metadata(("tooth", "11"), ("type", "clinical"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await CreateWith("1000", valid, tusHeader: false)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateWith(null, valid)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateWith("-5", valid)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateWith("0", valid)).Status);
        var tooLarge = await CreateWith((UploadFixture.MaxFileBytes + 1).ToString(CultureInfo.InvariantCulture), valid);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, ProblemTypes.FileTooLarge), (tooLarge.Status, tooLarge.Problem.GetProperty("type").GetString()));
        var noTooth = await CreateWith("1000", Metadata(("type", "clinical")));
        Assert.Equal((HttpStatusCode.BadRequest, "tooth"), (noTooth.Status, noTooth.Problem.GetProperty("field").GetString()));
        var badTooth = await CreateWith("1000", Metadata(("tooth", "19"), ("type", "clinical")));
        Assert.Equal((HttpStatusCode.BadRequest, "tooth"), (badTooth.Status, badTooth.Problem.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateWith("1000", "tooth MTE=,type not*base64")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateWith("1000", "tooth MTE=,tooth MTI=,type Y2xpbmljYWw=")).Status);
        Assert.Equal(before, await ResumableStatesAsync());

        var upload = await CreateAsync(client, patient, Photo.Length, valid);
        var wrongType = Patch(upload, Photo, 0, 100);
        wrongType.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(wrongType)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Patch(upload, Photo, 0, 1000))).StatusCode);
        var wrongOffset = await client.SendAsync(Patch(upload, Photo, 500, 1000));
        Assert.Equal((HttpStatusCode.Conflict, "1000"), (wrongOffset.StatusCode, Header(wrongOffset, TusProtocol.UploadOffset)));
        var tooMuch = await client.SendAsync(Patch(upload, [.. Photo, .. new byte[10]], 1000, Photo.Length - 1000 + 10));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMuch.StatusCode);
        Assert.Equal("1000", Header(await client.SendAsync(Tus(HttpMethod.Head, upload)), TusProtocol.UploadOffset));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Tus(HttpMethod.Head, $"{path}/{Guid.NewGuid()}"))).StatusCode);
    }

    [Fact]
    public async Task A_renamed_executable_is_refused_on_its_first_bytes_and_nothing_of_it_is_kept()
    {
        var patient = Guid.NewGuid().ToString();
        var client = fixture.Client();
        var executable = TestImages.Executable();
        var upload = await CreateAsync(client, patient, executable.Length, Metadata(("tooth", "11"), ("type", "clinical"), ("filename", "smile.jpg")));

        var refused = await client.SendAsync(Patch(upload, executable, 0, executable.Length));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Tus(HttpMethod.Head, upload))).StatusCode);
        Assert.DoesNotContain(await ResumableStatesAsync(), n => n.Contains(upload[(upload.LastIndexOf('/') + 1)..], StringComparison.Ordinal));
        Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.Contains(patient, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_whose_checksum_does_not_match_keeps_none_of_its_bytes()
    {
        var client = fixture.Client();
        var upload = await CreateAsync(client, Guid.NewGuid().ToString(), Photo.Length, Metadata(("tooth", "11"), ("type", "clinical")));

        var corrupted = Patch(upload, Photo, 0, 200_000);
        corrupted.Headers.Add(TusProtocol.UploadChecksum, $"sha256 {Convert.ToBase64String(SHA256.HashData(Photo.AsSpan(1, 200_000)))}");
        Assert.Equal(TusProtocol.ChecksumMismatchStatus, (int)(await client.SendAsync(corrupted)).StatusCode);
        Assert.Equal("0", Header(await client.SendAsync(Tus(HttpMethod.Head, upload)), TusProtocol.UploadOffset));

        var sound = Patch(upload, Photo, 0, 200_000);
        sound.Headers.Add(TusProtocol.UploadChecksum, $"sha256 {Convert.ToBase64String(SHA256.HashData(Photo.AsSpan(0, 200_000)))}");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(sound)).StatusCode);
        var last = Patch(upload, Photo, 200_000, Photo.Length - 200_000);
        last.Headers.Add(TusProtocol.UploadChecksum, $"sha256 {Convert.ToBase64String(SHA256.HashData(Photo.AsSpan(200_000)))}");
        var stored = await client.SendAsync(last);
        Assert.Equal(HttpStatusCode.NoContent, stored.StatusCode);
        var blob = fixture.Originals.GetBlobClient($"{TestTokens.Clinic}/{upload.Split('/')[4]}/11/clinical/{Header(stored, TusProtocol.ImageLocation).Split('/')[^1]}.png");
        Assert.Equal(Photo, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task Only_the_caller_that_started_an_upload_can_see_continue_or_end_it()
    {
        var patient = Guid.NewGuid().ToString();
        var upload = await CreateAsync(fixture.Client(subject: "dr-a"), patient, Photo.Length, Metadata(("tooth", "11"), ("type", "clinical")));

        var otherUser = fixture.Client(subject: "dr-b");
        var otherClinic = fixture.Factory.CreateClient();
        otherClinic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician", "dr-a", TestScope.OtherClinic));
        foreach (var stranger in new[] { otherUser, otherClinic })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(Tus(HttpMethod.Head, upload))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(Patch(upload, Photo, 0, 100))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(Tus(HttpMethod.Delete, upload))).StatusCode);
        }

        var reader = fixture.Client(role: "auditor", subject: "dr-a");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendAsync(Tus(HttpMethod.Head, upload))).StatusCode);
        Assert.Equal("0", Header(await fixture.Client(subject: "dr-a").SendAsync(Tus(HttpMethod.Head, upload)), TusProtocol.UploadOffset));
    }

    [Fact]
    public async Task An_upload_goes_on_at_another_instance_and_two_requests_at_the_same_offset_keep_one()
    {
        var patient = Guid.NewGuid().ToString();
        var upload = await CreateAsync(fixture.Client(), patient, Photo.Length, Metadata(("tooth", "46"), ("type", "clinical")));
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => fixture.Client().SendAsync(Patch(upload, Photo, 0, 300_000))));
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], racing.Select(r => r.StatusCode).Order());

        await using var second = new ServiceFactory<UploadOptions>(UploadFixture.Settings(fixture.Scope));
        var elsewhere = second.CreateClient();
        elsewhere.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician", "dr-who"));
        var last = await elsewhere.SendAsync(Patch(upload, Photo, 300_000, Photo.Length - 300_000));

        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var blob = fixture.Originals.GetBlobClient($"{TestTokens.Clinic}/{patient}/46/clinical/{Header(last, TusProtocol.ImageLocation).Split('/')[^1]}.png");
        Assert.Equal(Photo, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task Ended_and_abandoned_uploads_are_removed_and_a_fresh_one_is_not()
    {
        var client = fixture.Client();
        var patient = Guid.NewGuid().ToString();
        var ended = await CreateAsync(client, patient, Photo.Length, Metadata(("tooth", "11"), ("type", "clinical")));
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Tus(HttpMethod.Delete, ended))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Tus(HttpMethod.Head, ended))).StatusCode);

        var abandoned = await CreateAsync(client, patient, Photo.Length, Metadata(("tooth", "11"), ("type", "clinical")));
        var expires = DateTimeOffset.Parse(Header(await client.SendAsync(Patch(abandoned, Photo, 0, 1000)), TusProtocol.UploadExpires), CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24));

        Assert.Equal(0, await SweepAtAsync(DateTimeOffset.UtcNow));
        Assert.Equal("1000", Header(await client.SendAsync(Tus(HttpMethod.Head, abandoned)), TusProtocol.UploadOffset));
        Assert.True(await SweepAtAsync(DateTimeOffset.UtcNow + TimeSpan.FromHours(25)) >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Tus(HttpMethod.Head, abandoned))).StatusCode);
        Assert.DoesNotContain(await ResumableStatesAsync(), n => n.Contains(abandoned.Split('/')[^1], StringComparison.Ordinal));
    }

    private Task<int> SweepAtAsync(DateTimeOffset now) =>
        ActivatorUtilities.CreateInstance<ResumableUploads>(fixture.Factory.Services, (TimeProvider)new FakeTimeProvider(now)).RemoveExpiredAsync(CancellationToken.None);

    private async Task<List<string>> ResumableStatesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in fixture.Records.GetBlobsAsync(new GetBlobsOptions { Prefix = "resumable/" }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static async Task<string> CreateAsync(HttpClient client, string patient, long length, string metadata)
    {
        using var request = Create(patient, length, metadata);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal("0", Header(response, TusProtocol.UploadOffset));
        Assert.Equal(TusProtocol.Version, Header(response, TusProtocol.Resumable));
        return response.Headers.Location!.OriginalString;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.Single() : throw new Xunit.Sdk.XunitException($"{name} missing ({(int)response.StatusCode})");
}
