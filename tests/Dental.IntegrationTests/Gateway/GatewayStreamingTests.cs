using System.Net;
using System.Net.Http.Headers;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>The real gateway process streams a 100 MB upload to its backend without holding it in memory.</summary>
public class GatewayStreamingTests
{
    private const long Size = 100L * 1024 * 1024;

    /// <summary>Generates the body on the fly, so the test itself holds no 100 MB buffer either.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)(_position % 251));
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_100_MB_upload_is_proxied_with_the_gateways_memory_staying_flat()
    {
        await using var upload = new EchoBackend("upload");
        await using var catalog = new EchoBackend("catalog");
        await upload.StartAsync();
        await catalog.StartAsync();
        var port = FreePort.Next();
        using var gateway = await ServiceProcess.StartAsync("Gateway", port, GatewayFixture.Settings(await TestScope.CreateAsync(), upload.Address, catalog.Address));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        (await http.GetAsync("/api/v1/patients/p-1/images")).EnsureSuccessStatusCode();
        var before = gateway.PeakResidentBytes();

        var content = new StreamContent(new GeneratedStream(Size), 64 * 1024);
        content.Headers.ContentLength = Size;
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        var response = await http.PostAsync("/api/v1/patients/p-1/images", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, EchoBackend.Echo.From(await response.Content.ReadAsStringAsync())!.BodyBytes);
        var growth = gateway.PeakResidentBytes() - before;
        Console.WriteLine($"gateway peak RSS before {before / 1048576} MiB, growth during a 100 MB upload {growth / 1048576} MiB");
        Assert.True(growth < 40L * 1024 * 1024, $"peak RSS grew by {growth / 1048576} MiB while proxying 100 MB");
    }
}
