using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dental.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Dental.Bench.Cost;

/// <summary>
/// A reverse proxy in front of one emulator endpoint that counts every request the services send it, by the operation it
/// is billed as (<see cref="StorageOperations"/>). The services are given its address instead of the emulator's; HTTPS
/// (for the Cosmos emulator) is served with a certificate made here, which the services accept as they accept the
/// emulator's own: only for an endpoint on this machine.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly ConcurrentDictionary<StorageOperation, long> _counts = new();
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;

    private CountingProxy(WebApplication app, HttpMessageInvoker invoker, string address)
    {
        _app = app;
        _invoker = invoker;
        Address = address;
    }

    /// <summary>The proxy's base address (scheme, 127.0.0.1 and its port).</summary>
    public string Address { get; }

    public static async Task<CountingProxy> StartAsync(Uri target, Func<HttpRequest, StorageOperation> classify)
    {
        var https = target.Scheme == Uri.UriSchemeHttps;
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                if (https)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = LoopbackCertificate() });
                }
            });
        });
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || target.IsLoopback },
        });
        var proxy = new CountingProxy(app, invoker, $"{target.Scheme}://127.0.0.1:{port}");
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var destination = target.GetLeftPart(UriPartial.Authority);
        app.Run(async context =>
        {
            proxy._counts.AddOrUpdate(classify(context.Request), 1, (_, n) => n + 1);
            await forwarder.SendAsync(context, destination, invoker, ForwarderRequestConfig.Empty, HttpTransformer.Empty);
        });
        await app.StartAsync();
        return proxy;
    }

    /// <summary>The requests counted so far, by operation.</summary>
    public IReadOnlyDictionary<StorageOperation, long> Snapshot() => new Dictionary<StorageOperation, long>(_counts);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private static X509Certificate2 LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so that Kestrel can use its private key on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
