using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// The hostile request classes through the gateway of the running platform: each answered with a 4xx
/// problem, nothing stored, and the Upload service's memory bounded under the largest form flood allowed.
/// </summary>
public class HostileRequestTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly byte[] Photo = JpegFixtures.Encode(TestImages.Png(64, 48), 64);

    [Fact]
    public async Task Ids_with_control_characters_bad_subjects_and_malformed_bodies_are_4xx_through_the_gateway_and_store_nothing()
    {
        var platform = fixture.Platform;
        var client = platform.Client();

        foreach (var id in new[] { "abc%0A", "abc%0D%0A", "%0Aabc", "abc%E2%80%A8" })
        {
            var response = await client.PostAsync($"/api/v1/patients/{id}/images", UploadForm.For("11", "xray", Photo).Build());
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{id}: {(int)response.StatusCode}");
        }

        using var noSubject = new HttpClient { BaseAddress = platform.GatewayAddress };
        noSubject.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.WithSubject("clinician", null));
        Assert.Equal(HttpStatusCode.Unauthorized, (await noSubject.GetAsync($"/api/v1/patients/{Guid.NewGuid()}/images")).StatusCode);

        var flood = new UploadForm().Field("tooth", "11").Field("type", "xray");
        for (var i = 0; i < 6_000; i++)
        {
            flood.Field($"x{i}", new string('a', 16 * 1024));
        }

        // A small file that would cost the thumbnailer 20 s of CPU: refused from its header.
        var costly = await client.PostAsync($"/api/v1/patients/{Guid.NewGuid()}/images",
            UploadForm.For("11", "xray", TestImages.PngHeaderOnly(10_000, 10_000, bitDepth: 16, color: TestImages.PngColor.Gray)).Build());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, costly.StatusCode);
        Assert.Contains("16-bit", await costly.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var flooded = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync($"/api/v1/patients/{flooded}/images", flood.File(Photo).Build())).StatusCode);

        // A body that ends early: the connection may simply close, but never with a 5xx, and no service fails on it.
        var truncated = await SendTruncatedAsync(platform.GatewayAddress, TestTokens.For("clinician"));
        Assert.False(truncated.StartsWith("HTTP/1.1 5", StringComparison.Ordinal), truncated);

        foreach (var prefix in new[] { "abc", "\nabc", flooded })
        {
            Assert.Empty(await PlatformFixture.BlobsAsync(platform.Scope, platform.Scope.OriginalsContainer, prefix));
        }
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/patients/{Guid.NewGuid()}/images", UploadForm.For("11", "xray", Photo).Build())).StatusCode);
        foreach (var service in AspirePlatform.Services)
        {
            Assert.DoesNotContain("unhandled exception", platform.Logs(service), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_upload_services_memory_stays_bounded_under_the_largest_form_flood_the_limits_allow()
    {
        var platform = fixture.Platform;
        var client = platform.Client();
        // 16 fields of 2 KiB (32 KiB in all, the most a form may hold) before each file, 200 requests, 8 at a time.
        var before = await platform.PeakResidentBytesAsync("upload");
        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var form = new UploadForm().Field("tooth", "11").Field("type", "xray");
            for (var f = 0; f < 14; f++)
            {
                form.Field($"x{f}", new string('a', 2 * 1024 - 8));
            }

            using var response = await client.PostAsync($"/api/v1/patients/flood-{i}/images", form.File(JpegFixtures.Encode(TestImages.Png(32, 24, sample: (x, y, c) => (x + y + c + i) % 256), 32)).Build(), ct);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
        });
        var growth = await platform.PeakResidentBytesAsync("upload") - before;

        Console.WriteLine($"upload peak RSS before {before / 1048576} MiB, growth over 200 flooded forms {growth / 1048576} MiB");
        Assert.True(growth < 64L * 1024 * 1024, $"peak RSS grew by {growth / 1048576} MiB");
    }

    /// <summary>Announces a longer body than it sends, half-closes, and returns the status line the gateway answers, if any.</summary>
    private static async Task<string> SendTruncatedAsync(Uri gateway, string token)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.Host, gateway.Port);
        var stream = tcp.GetStream();
        var part = "--b\r\nContent-Disposition: form-data; name=\"tooth\"\r\n\r\n11\r\n--b\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nxray\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n";
        var head = $"POST /api/v1/patients/{Guid.NewGuid()}/images HTTP/1.1\r\nHost: {gateway.Authority}\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {part.Length + 100_000}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + part));
        await stream.WriteAsync(Photo.AsMemory(0, 100));
        tcp.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            return await reader.ReadLineAsync() ?? "";
        }
        catch (IOException)
        {
            return ""; // the connection was reset instead of answered
        }
    }
}
