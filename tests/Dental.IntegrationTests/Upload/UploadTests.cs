using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Messaging;
using Dental.Contracts.Api;
using Dental.Messaging;
using Dental.Testing;
using Dental.Upload;
using Dental.Upload.Storage;
using Dental.Upload.Store;

namespace Dental.IntegrationTests.Upload;

public class UploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private static string NewPatient() => Guid.NewGuid().ToString();

    private static async Task<UploadResponse> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!;

    [Fact]
    public async Task A_valid_image_is_stored_under_opaque_names_with_metadata_and_announced()
    {
        var patient = NewPatient();
        var bytes = TestImages.JpegLike(4000, 3000, 200_000, seed: 11);
        const string note = "pre-op: Frau Müller, 上顎";
        var form = UploadForm.For("11", "xray").Field("takenAt", "2026-11-20T09:30:00Z").Field("note", note);
        form.File(bytes, "Jane Doe – lower molar.jpg");

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", form.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = Assert.Single((await ReadAsync(response)).Items);
        Assert.Equal($"/api/v1/patients/{patient}/images/{image.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(7, image.Id.Version);
        Assert.Equal(("11", "fdi", "xray", "image/jpeg", ImageStatus.Processing), (image.Tooth, image.Notation, image.Type, image.ContentType, image.Status));
        Assert.Equal((4000, 3000, 200_000L), (image.Width, image.Height, image.SizeBytes));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), image.Sha256);
        Assert.Equal("Jane Doe – lower molar.jpg", image.OriginalFileName);
        Assert.Equal(note, image.Note);
        Assert.Equal("dr-who", image.UploadedBy);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture), image.TakenAt);
        Assert.False(image.Duplicate);

        var blobName = $"{TestTokens.Clinic}/{patient}/11/xray/{image.Id}.jpg";
        Assert.Equal($"originals/{blobName}", image.BlobPath);
        var blob = fixture.Originals.GetBlobClient(blobName);
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("image/jpeg", properties.ContentType);
        Assert.Equal(image.Sha256, properties.Metadata["sha256"]);
        // The free text lives on the original (where the Catalog reads it), not in any event.
        Assert.Equal(new ImageText("Jane Doe – lower molar.jpg", note), OriginalMetadata.ReadText(properties.Metadata));
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.Contains("Jane", StringComparison.Ordinal));

        foreach (var subscription in new[] { "thumbnailer", "catalog" })
        {
            var messages = (await fixture.Queue(subscription).PeekMessagesAsync(32)).Value;
            var envelope = messages.Select(m => CloudEvent.Parse(m.Body)!).Single(e => e.Subject!.Contains(image.Id.ToString(), StringComparison.Ordinal));
            Assert.Equal("dental.image.uploaded", envelope.Type);
            Assert.Equal(blobName, envelope.DataAs<Dental.Contracts.Events.ImageUploaded>().BlobName);
            Assert.All(messages, m => Assert.DoesNotContain("Jane", m.Body.ToString(), StringComparison.Ordinal));
            Assert.All(messages, m => Assert.DoesNotContain("Müller", m.Body.ToString(), StringComparison.Ordinal));
            Assert.All(messages, m => Assert.DoesNotContain("note", m.Body.ToString(), StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(await fixture.BlobNamesAsync(fixture.Records), n => n.StartsWith("outbox/", StringComparison.Ordinal));
        Assert.Contains(await fixture.BlobNamesAsync(fixture.Records), n => n == Dental.Upload.Store.UploadRecords.DedupeMarker(new Dental.Contracts.PatientKey(TestTokens.Clinic, patient), image.Sha256));
        // Only originals live in the originals container: the Upload service's records are in its own.
        Assert.All(await fixture.BlobNamesAsync(), n => Assert.Matches(@"^[A-Za-z0-9-]+/[A-Za-z0-9-]+/[a-z0-9]+/[a-z]+/[0-9a-f-]{36}\.[a-z]+$", n));
    }

    [Theory]
    [InlineData(200_000)] // fits in the first block: written with one request at commit
    [InlineData(OriginalStager.BlockSize)] // exactly one block, staged
    [InlineData((2 * OriginalStager.BlockSize) + 123)] // three blocks, staged
    public async Task Files_below_at_and_above_the_block_size_are_stored_byte_for_byte(int size)
    {
        var settings = UploadFixture.Settings(fixture.Scope);
        settings["Upload:MaxFileBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var service = new ServiceFactory<UploadOptions>(settings);
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        var patient = NewPatient();
        var bytes = TestImages.JpegLike(4000, 3000, size, seed: size % 1000);

        var response = await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("21", "clinical", bytes).Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = Assert.Single((await ReadAsync(response)).Items);
        Assert.Equal((size, Convert.ToHexStringLower(SHA256.HashData(bytes))), (image.SizeBytes, image.Sha256));
        var blob = fixture.Originals.GetBlobClient($"{TestTokens.Clinic}/{patient}/21/clinical/{image.Id}.jpg");
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(("image/jpeg", image.Sha256), (properties.ContentType, properties.Metadata["sha256"]));
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Theory]
    [InlineData("heic", "image/heic")]
    [InlineData("avif", "image/avif")]
    public async Task Heic_and_avif_photos_are_recognised_by_their_brands_and_stored_as_sent(string format, string contentType)
    {
        var patient = NewPatient();
        var png = TestImages.Png(640, 480, sample: (x, y, c) => (x + (y * 2) + c) % 256);
        var bytes = format == "heic" ? HeifFixtures.Heic(png) : HeifFixtures.Avif(png);
        var form = UploadForm.For("21", "clinical");
        form.File(bytes, $"IMG_0001.{format.ToUpperInvariant()}");

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", form.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = Assert.Single((await ReadAsync(response)).Items);
        Assert.Equal((contentType, 640, 480), (image.ContentType, image.Width, image.Height));
        var blob = fixture.Originals.GetBlobClient($"{TestTokens.Clinic}/{patient}/21/clinical/{image.Id}.{format}");
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(contentType, (await blob.GetPropertiesAsync()).Value.ContentType);
    }

    /// <summary>A DICOM whose transfer syntax says JPIP Referenced (pixels on a server elsewhere; same UID length as JPEG 2000 lossless).</summary>
    private static byte[] JpipDicom() =>
        DicomFixtures.WithTransferSyntaxUid(DicomFixtures.Transcode(DicomFixtures.Create(new DicomSpec()), DicomFixtures.Jpeg2000Lossless), "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.94");

    [Fact]
    public async Task A_dicom_xray_is_recognised_by_its_preamble_and_stored_as_sent()
    {
        var patient = NewPatient();
        var bytes = DicomFixtures.Transcode(DicomFixtures.Create(new DicomSpec()), DicomFixtures.JpegLossless);
        var form = UploadForm.For("46", "xray");
        form.File(bytes, "IO000001.DCM");

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", form.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = Assert.Single((await ReadAsync(response)).Items);
        Assert.Equal(("application/dicom", 600, 400), (image.ContentType, image.Width, image.Height));
        var blob = fixture.Originals.GetBlobClient($"{TestTokens.Clinic}/{patient}/46/xray/{image.Id}.dcm");
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal("application/dicom", (await blob.GetPropertiesAsync()).Value.ContentType);
    }

    [Fact]
    public async Task Universal_numbers_are_stored_as_fdi_keeping_the_notation()
    {
        var form = UploadForm.For("8", "clinical", TestImages.Png(32, 24)).Field("notation", "universal");

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{NewPatient()}/images", form.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var image = Assert.Single((await ReadAsync(response)).Items);
        Assert.Equal(("11", "8", "universal", "image/png", 32, 24), (image.Tooth, image.EnteredTooth, image.Notation, image.ContentType, image.Width, image.Height));
        Assert.EndsWith(".png", image.BlobPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_files_in_one_request_are_each_stored()
    {
        var patient = NewPatient();
        // The first small file is held for a single write, the others are staged: both end up whole.
        byte[][] files = [TestImages.JpegLike(640, 480, seed: 1), TestImages.JpegLike(640, 480, seed: 2), TestImages.Png(10, 10)];
        var form = UploadForm.For("q1", "before", files);

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", form.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var items = (await ReadAsync(response)).Items;
        Assert.Equal(3, items.Count);
        Assert.Equal(3, items.Select(i => i.Id).Distinct().Count());
        var stored = (await fixture.BlobNamesAsync()).Where(n => n.StartsWith($"{TestTokens.Clinic}/{patient}/q1/before/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stored.Count);
        var contents = new List<string>();
        foreach (var name in stored)
        {
            contents.Add(Convert.ToHexStringLower(SHA256.HashData((await fixture.Originals.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray())));
        }

        Assert.Equal(files.Select(f => Convert.ToHexStringLower(SHA256.HashData(f))).Order(), contents.Order());
    }

    [Fact]
    public async Task The_same_bytes_again_return_the_existing_image_and_store_nothing_new()
    {
        var patient = NewPatient();
        var bytes = TestImages.JpegLike(800, 600, seed: 21);
        var first = await ReadAsync(await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("21", "after", bytes).Build()));
        var before = await fixture.BlobNamesAsync();

        var again = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("36", "xray", bytes).Build());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var duplicate = Assert.Single((await ReadAsync(again)).Items);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(first.Items[0].Id, duplicate.Id);
        Assert.Equal("21", duplicate.Tooth);
        Assert.Equal(before, await fixture.BlobNamesAsync());

        // Another patient's identical file is that patient's own image.
        var other = await fixture.Client().PostAsync($"/api/v1/patients/{NewPatient()}/images", UploadForm.For("21", "after", bytes).Build());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Identical_uploads_at_the_same_instant_store_one_image()
    {
        var patient = NewPatient();
        var bytes = TestImages.JpegLike(1024, 768, 300_000, seed: 31);
        using var start = new SemaphoreSlim(0);
        var uploads = Enumerable.Range(0, 8).Select(async _ =>
        {
            var client = fixture.Client();
            await start.WaitAsync();
            return await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("46", "xray", bytes).Build());
        }).ToList();
        start.Release(uploads.Count);
        var responses = await Task.WhenAll(uploads);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            ids.Add(Assert.Single((await ReadAsync(response)).Items).Id);
        }

        Assert.Single(ids);
        Assert.Single(await fixture.BlobNamesAsync(), n => n.StartsWith($"{TestTokens.Clinic}/{patient}/46/xray/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_identical_upload_still_being_stored_elsewhere_is_409_with_retry_after_and_leaves_nothing()
    {
        var patient = NewPatient();
        var bytes = TestImages.JpegLike(1024, 768, 200_000, seed: 37);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        // Another request claimed these bytes a moment ago and is still committing them (its original is not there yet).
        var other = new Dental.Contracts.Events.ImageUploaded(Guid.CreateVersion7(), TestTokens.Clinic, patient, "46", "fdi", "xray", $"{TestTokens.Clinic}/{patient}/46/xray/{Guid.NewGuid()}.jpg",
            bytes.Length, "image/jpeg", sha256, 1024, 768, "dr-other", DateTimeOffset.UtcNow, null);
        var marker = Dental.Upload.Store.UploadRecords.DedupeMarker(other.Patient, sha256);
        await fixture.Records.GetBlobClient(marker).UploadAsync(BinaryData.FromObjectAsJson(other, JsonSerializerOptions.Web));
        var settings = UploadFixture.Settings(fixture.Scope);
        settings["Upload:IdenticalUploadWait"] = "00:00:00.500";
        await using var factory = new ServiceFactory<UploadOptions>(settings);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));

        var response = await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("46", "xray", bytes).Build());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter!.Delta);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ProblemTypes.Conflict, problem.GetProperty("type").GetString());
        Assert.Contains("being stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.Contains("/" + patient + "/", StringComparison.Ordinal));
        Assert.Equal(other.ImageId, (await fixture.Records.GetBlobClient(marker).DownloadContentAsync()).Value.Content.ToObjectFromJson<Dental.Contracts.Events.ImageUploaded>(JsonSerializerOptions.Web)!.ImageId);
    }

    [Fact]
    public async Task A_retried_request_with_the_same_idempotency_key_gets_the_first_answer_and_another_request_with_it_gets_422()
    {
        var patient = NewPatient();
        var key = Guid.NewGuid().ToString();
        var client = fixture.Client();
        var bytes = TestImages.JpegLike(640, 480, seed: 41);
        Task<HttpResponseMessage> SendAsync(HttpContent content) => SendWithKeyAsync(client, patient, key, content);

        var first = await SendAsync(UploadForm.For("11", "xray", bytes).Build());
        var retry = await SendAsync(UploadForm.For("11", "xray", bytes).Build());
        var another = await SendAsync(UploadForm.For("11", "xray", TestImages.JpegLike(640, 480, seed: 42)).Build());
        var otherTooth = await SendAsync(UploadForm.For("12", "xray", bytes).Build());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal((await ReadAsync(first)).Items[0].Id, (await ReadAsync(retry)).Items[0].Id);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, another.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherTooth.StatusCode);
        Assert.Contains("idempotency-key-reused", await another.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await fixture.BlobNamesAsync(), n => n.StartsWith($"{TestTokens.Clinic}/{patient}/1", StringComparison.Ordinal) && !n.Contains("/_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cut_off_attempt_frees_its_idempotency_key_at_once()
    {
        var patient = NewPatient();
        var key = Guid.NewGuid().ToString();
        var client = fixture.Client();
        var bytes = TestImages.JpegLike(640, 480, seed: 43);

        // The client's body fails half-way, as when a phone loses its connection.
        await Record.ExceptionAsync(() => SendWithKeyAsync(client, patient, key, new FailingContent(UploadForm.For("11", "xray", bytes).Build(), failAfter: 4096)));
        var retried = await SendWithKeyAsync(client, patient, key, UploadForm.For("11", "xray", bytes).Build());
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    public static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string patient, string key, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/patients/{patient}/images") { Content = content };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>Sends the first bytes of a form, then fails like a dropped connection.</summary>
    private sealed class FailingContent(HttpContent inner, int failAfter) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var bytes = await inner.ReadAsByteArrayAsync();
            await stream.WriteAsync(bytes.AsMemory(0, failAfter));
            await stream.FlushAsync();
            throw new IOException("connection lost");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public static TheoryData<string, UploadForm, int, string, string> BadRequests()
    {
        var jpeg = TestImages.JpegLike(640, 480, seed: 51);
        return new()
        {
            { "empty file", UploadForm.For("11", "xray", Array.Empty<byte>()), 400, "empty-file", "file" },
            { "renamed executable", UploadForm.For("11", "xray", TestImages.Executable()), 415, "unsupported-media-type", "file" },
            { "truncated header", UploadForm.For("11", "xray", TestImages.TruncatedJpeg()), 400, "corrupt-image", "file" },
            { "decompression bomb", UploadForm.For("11", "xray", TestImages.PngHeaderOnly(50_000, 50_000)), 413, "too-many-pixels", "file" },
            { "16-bit X-ray past its CPU budget", UploadForm.For("11", "xray", TestImages.PngHeaderOnly(10_000, 10_000, bitDepth: 16, color: TestImages.PngColor.Gray)), 413, "too-many-pixels", "file" },
            { "PNG decoded in full past its budget", UploadForm.For("11", "xray", TestImages.PngHeaderOnly(8_000, 8_000)), 413, "too-many-pixels", "file" },
            { "tooth 0", UploadForm.For("0", "xray", jpeg), 400, "invalid-field", "tooth" },
            { "tooth 19", UploadForm.For("19", "xray", jpeg), 400, "invalid-field", "tooth" },
            { "tooth 99", UploadForm.For("99", "xray", jpeg), 400, "invalid-field", "tooth" },
            { "universal 33", UploadForm.For("33", "xray", jpeg).Field("notation", "universal"), 400, "invalid-field", "tooth" },
            { "unknown notation", UploadForm.For("11", "xray", jpeg).Field("notation", "palmer"), 400, "invalid-field", "notation" },
            { "unknown type", UploadForm.For("11", "selfie", jpeg), 400, "invalid-field", "type" },
            { "missing tooth", new UploadForm().Field("type", "xray").File(jpeg), 400, "missing-field", "tooth" },
            { "missing type", new UploadForm().Field("tooth", "11").File(jpeg), 400, "missing-field", "type" },
            { "no file", new UploadForm().Field("tooth", "11").Field("type", "xray"), 400, "missing-field", "file" },
            { "bad takenAt", UploadForm.For("11", "xray", jpeg).Field("takenAt", "yesterday"), 400, "invalid-field", "takenAt" },
            { "note of 2001 characters", UploadForm.For("11", "xray", jpeg).Field("note", new string('n', 2001)), 400, "invalid-field", "note" },
            { "note of 1400 characters but 4200 bytes", UploadForm.For("11", "xray", jpeg).Field("note", new string('歯', 1400)), 400, "invalid-field", "note" },
            { "field after the files", UploadForm.For("11", "xray", jpeg).TrailingField("note", "late"), 400, "invalid-field", "note" },
            { "oversize", UploadForm.For("11", "xray", TestImages.JpegLike(640, 480, UploadFixture.MaxFileBytes + 1, seed: 52)), 413, "file-too-large", "file" },
            { "too many files", UploadForm.For("11", "xray", [.. Enumerable.Range(0, UploadFixture.MaxFiles + 1).Select(i => TestImages.JpegLike(64, 64, seed: 60 + i))]), 400, "too-many-files", "file" },
            { "good file then bad file", UploadForm.For("11", "xray", TestImages.JpegLike(64, 64, seed: 70), TestImages.Executable()), 415, "unsupported-media-type", "file" },
            { "DICOM in a transfer syntax the platform does not decode", UploadForm.For("11", "xray", JpipDicom()), 415, "unsupported-media-type", "file" },
            { "multi-frame DICOM past the 16-bit budget", UploadForm.For("11", "xray", DicomFixtures.Create(new DicomSpec { Width = 1000, Height = 1000, Frames = 21, Sample = (_, _, _) => 0 })), 413, "too-many-pixels", "file" },
            { "DICOM cut inside its header", UploadForm.For("11", "xray", DicomFixtures.Create(new DicomSpec())[..600]), 400, "corrupt-image", "file" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_leaves_storage_as_it_was(string what, UploadForm form, int status, string type, string field)
    {
        var before = await fixture.BlobNamesAsync();
        var queued = (await fixture.Queue("catalog").GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{NewPatient()}/images", form.Build());

        Assert.True(status == (int)response.StatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.EndsWith("/" + type, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.Equal(before, await fixture.BlobNamesAsync());
        Assert.Equal(queued, (await fixture.Queue("catalog").GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Theory]
    [InlineData("bad.id")]
    [InlineData("a%2Fb")]
    [InlineData("x%20y")]
    public async Task A_patient_id_that_is_not_opaque_is_refused(string patient)
    {
        var before = await fixture.BlobNamesAsync();

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "xray", TestImages.JpegLike(64, 64)).Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("patientId", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal(before, await fixture.BlobNamesAsync());
    }

    [Fact]
    public async Task A_request_that_is_not_multipart_is_415()
    {
        var response = await fixture.Client().PostAsync($"/api/v1/patients/{NewPatient()}/images", new ByteArrayContent(TestImages.JpegLike(64, 64)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Uploading_needs_a_token_with_an_upload_role()
    {
        var anonymous = fixture.Factory.CreateClient();
        var form = UploadForm.For("11", "xray", TestImages.JpegLike(64, 64, seed: 80));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/patients/{NewPatient()}/images", form.Build())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("auditor").PostAsync($"/api/v1/patients/{NewPatient()}/images", form.Build())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client("service").PostAsync($"/api/v1/patients/{NewPatient()}/images", form.Build())).StatusCode);
    }
}
