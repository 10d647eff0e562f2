using System.Net.Security;
using System.Net.Sockets;

namespace Dental.AppHost.Hosting;

internal static class Probes
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    // The local Cosmos emulator's certificate is self-signed; only chain and name errors are forgiven, and
    // only for loopback addresses (checked before this client is used).
    private static readonly HttpClient LoopbackTls = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None,
        },
    }) { Timeout = TimeSpan.FromSeconds(2) };

    public static async Task<bool> HttpOkAsync(string url, bool acceptSelfSignedCertificate, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        if (acceptSelfSignedCertificate && !uri.IsLoopback)
        {
            throw new ArgumentException("A self-signed certificate is accepted only on loopback.", nameof(url));
        }

        try
        {
            using var response = await (acceptSelfSignedCertificate ? LoopbackTls : Http).GetAsync(uri, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public static async Task<bool> TcpOpenAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
