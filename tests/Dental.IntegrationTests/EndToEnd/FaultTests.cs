using System.Net;
using System.Net.Http.Headers;
using Dental.Contracts.Api;
using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// Faults while the platform works: nothing a client was told is stored is lost, nothing is duplicated.
/// Resources are killed (SIGKILL of their process), stopped and started through the app host.
/// </summary>
public class FaultTests
{
    [Fact]
    public async Task Images_uploaded_while_the_thumbnailer_is_down_all_become_ready_once_it_is_back()
    {
        await using var platform = await AspirePlatform.StartAsync();
        var client = platform.Client();
        var patient = Guid.NewGuid().ToString();

        await platform.KillAsync("thumbnailer");
        var accepted = new List<Guid>();
        await Parallel.ForAsync(0, 12, async (i, _) =>
        {
            var form = UploadForm.For("1" + ((i % 8) + 1), "clinical", JpegFixtures.Encode(TestImages.Png(320, 240, sample: (x, y, c) => (x + y + (c * i * 20)) % 256), 320));
            var response = await PlatformFixture.UploadAsync(client, patient, form);
            lock (accepted)
            {
                accepted.Add(response.Items.Single().Id);
            }
        });
        Assert.All((await PlatformFixture.ListAsync(client, patient, "pageSize=100")).Items, i => Assert.Equal(ImageStatus.Processing, i.Status));

        await platform.StartAsync("thumbnailer");

        foreach (var id in accepted)
        {
            Assert.Equal(ImageStatus.Ready, (await PlatformFixture.WaitUntilReadyAsync(client, patient, id)).Status);
        }

        var listed = (await PlatformFixture.ListAsync(client, patient, "pageSize=100")).Items;
        Assert.Equal(accepted.Order(), listed.Select(i => i.Id).Order());
        // Each image was ready with its three previews, and no preview was made twice.
        Assert.Equal(12 * 3, (await PlatformFixture.BlobsAsync(platform.Scope, platform.Scope.PreviewsContainer, $"{TestTokens.Clinic}/{patient}/")).Count);
    }

    [Fact]
    public async Task An_upload_service_killed_mid_upload_leaves_no_orphan_original()
    {
        await using var platform = await AspirePlatform.StartAsync();
        var patient = Guid.NewGuid().ToString();
        using var client = new HttpClient { BaseAddress = platform.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        var bytes = TestImages.JpegLike(4000, 3000, 20 * 1024 * 1024, seed: 5);
        var trickle = new ThrottledContent(bytes, bytesPerSecond: 4 * 1024 * 1024);
        var content = new MultipartFormDataContent
        {
            { new StringContent("11"), "tooth" },
            { new StringContent("xray"), "type" },
            { trickle, "file", "big.jpg" },
        };

        var upload = client.PostAsync($"/api/v1/patients/{patient}/images", content);
        await Eventually.ReturnsAsync(() => Task.FromResult(trickle.Sent), sent => sent > 6 * 1024 * 1024, "part of the upload to be sent");
        await platform.KillAsync("upload");
        var outcome = await Record.ExceptionAsync(() => upload);
        Assert.True(outcome is not null || (await upload).StatusCode != HttpStatusCode.Created, "a killed upload must not be reported as stored");

        await platform.StartAsync("upload");
        // Staged blocks are never committed: no original, marker or outbox entry exists for the patient.
        Assert.Empty(await PlatformFixture.BlobsAsync(platform.Scope, platform.Scope.OriginalsContainer, $"{TestTokens.Clinic}/{patient}/"));
        Assert.Empty((await PlatformFixture.ListAsync(platform.Client(), patient)).Items);

        // The retry is stored and catalogued once (its noise payload is then rejected by the thumbnailer: "failed").
        var retried = await PlatformFixture.UploadAsync(platform.Client(), patient, UploadForm.For("11", "xray", bytes));
        var processed = await PlatformFixture.WaitUntilReadyAsync(platform.Client(), patient, retried.Items.Single().Id);
        Assert.Equal(ImageStatus.Failed, processed.Status);
        Assert.Single((await PlatformFixture.ListAsync(platform.Client(), patient)).Items);
    }

    [Fact]
    public async Task An_upload_service_killed_under_load_has_an_audit_record_for_every_upload_it_answered()
    {
        await using var platform = await AspirePlatform.StartAsync();
        var client = platform.Client();
        client.Timeout = TimeSpan.FromSeconds(15);
        var patient = Guid.NewGuid().ToString();
        var answered = new System.Collections.Concurrent.ConcurrentBag<(Guid ImageId, string TraceId)>();
        using var stop = new CancellationTokenSource();

        async Task UploadUntilStoppedAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToString();
                var bytes = TestImages.Png(48, 32, sample: (x, y, c) => (x + (y * worker) + (c * i)) % 256);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/patients/{patient}/images") { Content = UploadForm.For("11", "clinical", bytes).Build() };
                request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01");
                try
                {
                    using var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<UploadResponseBody>(response.Content, System.Text.Json.JsonSerializerOptions.Web);
                        answered.Add((body!.Items.Single().Id, traceId));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // The service died under this request: it got no answer, so it needs no record.
                }
            }
        }

        var load = Task.WhenAll(Enumerable.Range(1, 4).Select(UploadUntilStoppedAsync));
        // The suite runs platform and browser tests side by side on two cores: answering 30 can take longer than the usual 30 s.
        await Eventually.ReturnsAsync(() => Task.FromResult(answered.Count), n => n >= 30, "uploads to be answered under load", TimeSpan.FromSeconds(120));
        await platform.KillAsync("upload");
        var answeredBeforeTheKill = answered.Count;
        await stop.CancelAsync();
        await load;

        // Group commit stores a record before its answer leaves: SIGKILL loses none of the answered ones.
        Assert.True(answered.Count >= answeredBeforeTheKill);
        List<(Guid ImageId, string TraceId, List<string> Records)> Unrecorded(IReadOnlyList<Dental.Audit.AuditRecord> stored)
        {
            var uploads = stored.Where(r => r.PatientId == patient && r.Action == Dental.Audit.AuditActions.ImagesUpload).ToList();
            // Matched by image id (each upload here stores new bytes, so an image id belongs to one request), not by trace id: in
            // two CI runs the client's own traceparent reached the upload service for some requests only, while every record
            // was there under the trace id the upload service logged.
            return [.. answered
                .Select(a => (a.ImageId, a.TraceId, Records: uploads.Where(r => r.ImageIds.Contains(a.ImageId.ToString("D"))).Select(r => $"{r.TraceId}/{r.Outcome}/{r.Time:HH:mm:ss.fff}").ToList()))
                .Where(a => !a.Records.Any(r => r.Contains("/201/", StringComparison.Ordinal)))];
        }

        // Read until every answered upload's record is there; a record that never appears fails the test with what was found.
        try
        {
            await Eventually.ReturnsAsync(() => platform.Scope.AuditRecordsAsync(), s => Unrecorded(s).Count == 0, "an audit record for every answered upload", TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            var all = await platform.Scope.AuditRecordsAsync();
            var missing = Unrecorded(all);
            Assert.Fail($"{missing.Count} of {answered.Count} answered uploads have no record ({all.Count} records stored, latest at " +
                $"{all.Select(r => r.Time).DefaultIfEmpty().Max():HH:mm:ss.fff}): " +
                string.Join("; ", missing.Select(u => $"{u.ImageId} (trace {u.TraceId}) records: [{string.Join(", ", u.Records)}]")) +
                $"\nUpload service log:\n{platform.Logs("upload")[^Math.Min(4000, platform.Logs("upload").Length)..]}");
        }
    }

    private sealed record UploadResponseBody(IReadOnlyList<ImageResource> Items);

    [Fact]
    public async Task A_minute_of_cosmos_outage_under_a_stream_of_uploads_dead_letters_nothing_and_catalogues_everything_after()
    {
        // Four deliveries would be spent in about 7 s by retries at the consumer's own pace (1, 2, 4 s): only pausing
        // while Cosmos is down keeps a minute's outage from dead-lettering the stream.
        await using var platform = await AspirePlatform.StartAsync(new Dictionary<string, string?> { ["Messaging:MaxTransientDeliveryAttempts"] = "4" });
        var client = platform.Client();
        var patient = Guid.NewGuid().ToString();

        // The emulator persists to its data file when stopped gracefully, as the app host's stop command does.
        await platform.StopAsync("cosmos");
        var outage = System.Diagnostics.Stopwatch.StartNew();
        var accepted = new List<Guid>();
        var pace = TimeSpan.FromSeconds(2);
        for (var i = 0; outage.Elapsed < TimeSpan.FromSeconds(60); i++)
        {
            var form = UploadForm.For("2" + ((i % 8) + 1), "before", JpegFixtures.Encode(TestImages.Png(200, 150, sample: (x, y, c) => (x + y + (c * i * 7)) % 256), 200));
            accepted.Add((await PlatformFixture.UploadAsync(client, patient, form)).Items.Single().Id);
            // A steady stream, one upload per interval, for as long as the outage lasts.
            await Task.Delay(pace);
        }

        await AssertNothingDeadLetteredAsync();
        Assert.Contains("stops receiving until the service is ready again", platform.Logs("catalog"), StringComparison.Ordinal);
        await platform.StartAsync("cosmos");

        foreach (var id in accepted)
        {
            Assert.Equal(ImageStatus.Ready, (await PlatformFixture.WaitUntilReadyAsync(client, patient, id, TimeSpan.FromSeconds(90))).Status);
        }

        await Eventually.ReturnsAsync(
            async () => System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"/api/v1/patients/{patient}/summary")).RootElement.GetProperty("total").GetInt32(),
            total => total == accepted.Count,
            $"the summary to count all {accepted.Count} images");
        await AssertNothingDeadLetteredAsync();

        async Task AssertNothingDeadLetteredAsync()
        {
            foreach (var topic in new[] { Dental.Contracts.Events.Topics.Images, Dental.Contracts.Events.Topics.ImageResults })
            {
                var poison = platform.Scope.Queue("catalog-poison", topic);
                Assert.Empty((await poison.ExistsAsync()).Value ? (await poison.PeekMessagesAsync(32)).Value : []);
            }
        }
    }

    /// <summary>Sends its bytes slowly, so a test can act while the upload is in flight.</summary>
    private sealed class ThrottledContent(byte[] bytes, int bytesPerSecond) : HttpContent
    {
        private long _sent;

        public long Sent => Interlocked.Read(ref _sent);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            const int chunk = 256 * 1024;
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                var length = Math.Min(chunk, bytes.Length - offset);
                await stream.WriteAsync(bytes.AsMemory(offset, length));
                Interlocked.Add(ref _sent, length);
                await Task.Delay(TimeSpan.FromSeconds((double)length / bytesPerSecond));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
