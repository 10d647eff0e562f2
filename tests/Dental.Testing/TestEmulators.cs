using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace Dental.Testing;

/// <summary>
/// Azurite (Blob + Queue) and the Cosmos-protocol emulator, started once per test run on free
/// 127.0.0.1 ports and stopped when the test process exits. Each test class isolates itself with a
/// <see cref="TestScope"/> (its own containers, queues and database).
/// </summary>
public sealed class TestEmulators : IDisposable
{
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string CosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly Lazy<Task<TestEmulators>> Shared = new(StartAsync);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private TestProcess _azurite = null!;
    private TestProcess _cosmos = null!;

    private TestEmulators()
    {
    }

    public int BlobPort { get; } = FreePort.Next();

    public int QueuePort { get; } = FreePort.Next();

    public int CosmosPort { get; } = FreePort.Next();

    public string StorageConnectionString => StorageConnectionStringFor(BlobPort, QueuePort);

    /// <summary>Azurite's development account on the given blob and queue ports.</summary>
    public static string StorageConnectionStringFor(int blobPort, int queuePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;";

    public string CosmosConnectionString => CosmosConnectionStringFor(CosmosPort);

    /// <summary>A Cosmos emulator on another port (one a test starts itself, or one nothing listens on).</summary>
    public static string CosmosConnectionStringFor(int port) => $"AccountEndpoint=https://127.0.0.1:{port}/;AccountKey={CosmosKey}";

    public static Task<TestEmulators> GetAsync() => Shared.Value;

    public void Dispose() =>
        // Both at once: this runs at the test host's exit, which the test runner cuts short on a busy machine; one after the
        // other, Azurite's wait for its exit used that time up and left the Cosmos emulator running (seen twice under load).
        Parallel.Invoke(_azurite.Dispose, _cosmos.Dispose);

    private static async Task<TestEmulators> StartAsync()
    {
        await NpmPackages.EnsureInstalledAsync();
        var emulators = new TestEmulators();
        var clock = Stopwatch.StartNew();
        emulators._azurite = new TestProcess(
            "azurite",
            Path.Combine(RepositoryPaths.Emulators, "node_modules", ".bin", "azurite"),
            ["--blobHost", "127.0.0.1", "--blobPort", emulators.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--queueHost", "127.0.0.1", "--queuePort", emulators.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--tableHost", "127.0.0.1", "--tablePort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent"],
            RepositoryPaths.Emulators);
        emulators._cosmos = emulators.StartCosmos();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulators.Dispose();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => emulators.Dispose();
        await Task.WhenAll(
            emulators._azurite.WaitUntilAsync(() => FreePort.IsListeningAsync(emulators.BlobPort), StartTimeout),
            emulators._azurite.WaitUntilAsync(() => FreePort.IsListeningAsync(emulators.QueuePort), StartTimeout),
            emulators._cosmos.WaitUntilAsync(() => TlsPortOpenAsync(emulators.CosmosPort), StartTimeout));
        Console.WriteLine($"Emulators ready in {clock.ElapsedMilliseconds} ms (blob {emulators.BlobPort}, queue {emulators.QueuePort}, cosmos {emulators.CosmosPort})");
        return emulators;
    }

    private TestProcess StartCosmos() => new(
        "cosmos",
        "node",
        ["cosmos-emulator.js", "--port", CosmosPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        RepositoryPaths.Emulators);

    private static async Task<bool> TlsPortOpenAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            // The emulator's certificate is self-signed; this only checks that TLS is being served.
            await using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate is not null);
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }
}
