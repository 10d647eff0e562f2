using System.Security.Cryptography;
using Dental.AppHost.Hosting;

namespace Dental.AppHost;

/// <summary>The local stack: emulators, the dashboard and the four services, wired like in Azure.</summary>
internal sealed class LocalStack(DistributedApplication app, AppHostOptions options, string root, string data)
{
    // Azurite's documented development account; it only ever exists on this machine.
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string CosmosEmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private string Emulators => Path.Combine(root, "emulators");

    public void Build()
    {
        var storage = app.AddResource("azurite", Path.Combine(Emulators, "node_modules/.bin/azurite"), Emulators)
            .WithArgs("--blobHost", "127.0.0.1", "--blobPort", Port(options.BlobPort),
                "--queueHost", "127.0.0.1", "--queuePort", Port(options.QueuePort),
                "--location", Path.Combine(data, "azurite"), "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent")
            .WithTcpReadiness(options.BlobPort)
            .WithConnectionSetting("Storage__ConnectionString", StorageConnectionString())
            .WithConnectionSetting("Storage__EnsureCreated", "true")
            .WithConnectionSetting("Messaging__Transport", "StorageQueues")
            .WithConnectionSetting("Messaging__StorageQueues__ConnectionString", StorageConnectionString())
            .WithConnectionSetting("Messaging__EnsureCreated", "true");

        var cosmos = app.AddResource("cosmos", "node", Emulators)
            .WithArgs("cosmos-emulator.js", "--port", Port(options.CosmosPort), "--data", Path.Combine(data, "cosmos", "cosmos.json"))
            .WithHttpReadiness($"https://127.0.0.1:{options.CosmosPort}/", acceptSelfSignedCertificate: true)
            .WithConnectionSetting("Cosmos__ConnectionString", $"AccountEndpoint=https://127.0.0.1:{options.CosmosPort}/;AccountKey={CosmosEmulatorKey}")
            .WithConnectionSetting("Cosmos__AcceptEmulatorCertificate", "true")
            .WithConnectionSetting("Cosmos__EnsureCreated", "true");

        ResourceBuilder? dashboard = null;
        if (!options.NoDashboard)
        {
            dashboard = app.AddResource("dashboard", Path.Combine(Emulators, Setup.DashboardBinary), data)
                .WithArgs("dashboard", "run", "--nologo", "--non-interactive", "--allow-anonymous",
                    "--frontend-url", $"http://127.0.0.1:{options.DashboardPort}",
                    "--otlp-grpc-url", $"http://127.0.0.1:{options.OtlpGrpcPort}",
                    "--otlp-http-url", $"http://127.0.0.1:{options.OtlpHttpPort}")
                .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
                .WithHttpReadiness($"http://127.0.0.1:{options.DashboardPort}/")
                .WithDisplayUrl($"http://127.0.0.1:{options.DashboardPort}")
                .WithConnectionSetting("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{options.OtlpHttpPort}")
                .WithConnectionSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        }

        var signingKey = DevelopmentSigningKey();
        var catalog = Service("catalog", "Catalog", options.CatalogPort, signingKey, dashboard)
            .WithReference(storage).WithReference(cosmos).WaitFor(storage).WaitFor(cosmos);
        var upload = Service("upload", "Upload", options.UploadPort, signingKey, dashboard)
            .WithReference(storage).WaitFor(storage);
        Service("thumbnailer", "Thumbnailer", options.ThumbnailerPort, signingKey, dashboard)
            .WithReference(storage).WaitFor(storage);
        Service("gateway", "Gateway", options.GatewayPort, signingKey, dashboard)
            .WithEnvironment("ReverseProxy__Clusters__upload__Destinations__primary__Address", $"http://127.0.0.1:{options.UploadPort}")
            .WithEnvironment("ReverseProxy__Clusters__catalog__Destinations__primary__Address", $"http://127.0.0.1:{options.CatalogPort}")
            // The web client is served by the gateway itself (same origin, so no CORS); the Vite dev server proxies to it.
            .WithEnvironment("WebClient__Path", Path.Combine(root, "web", "dist"))
            .WaitFor(upload).WaitFor(catalog)
            .WithDisplayUrl($"http://127.0.0.1:{options.GatewayPort}");
    }

    public void PrintWelcome(IReadOnlyList<Resource> resources)
    {
        Console.WriteLine();
        Console.WriteLine("The dental image platform is running.");
        foreach (var resource in resources.Where(r => r.DisplayUrl is not null))
        {
            Console.WriteLine($"  {resource.Name,-10} {resource.DisplayUrl}");
        }

        Console.WriteLine("  token      curl -s -X POST http://127.0.0.1:" + options.GatewayPort +
            "/dev/token -H 'Content-Type: application/json' -d '{\"role\":\"clinician\",\"sub\":\"dr-who\"}'");
        Console.WriteLine($"  data       {data}");
        Console.WriteLine("Press Ctrl+C to stop everything.");
        Console.WriteLine();
    }

    private ResourceBuilder Service(string name, string project, int port, string signingKey, ResourceBuilder? dashboard)
    {
        var dll = Path.Combine(root, "services", project, "bin", "Debug", "net10.0", $"Dental.{project}.dll");
        var service = app.AddResource(name, "dotnet", Path.GetDirectoryName(dll))
            .WithArgs(dll)
            .WithEnvironment("ASPNETCORE_URLS", $"http://127.0.0.1:{port}")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("OTEL_SERVICE_NAME", name)
            .WithEnvironment("Auth__SigningKey", signingKey)
            .WithHttpReadiness($"http://127.0.0.1:{port}/health/ready");
        if (dashboard is not null)
        {
            service.WithReference(dashboard);
        }

        return service;
    }

    private string StorageConnectionString() =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{options.BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{options.QueuePort}/devstoreaccount1;";

    /// <summary>A random key per data folder, so locally minted tokens stay valid across restarts but not across machines.</summary>
    private string DevelopmentSigningKey()
    {
        var file = Path.Combine(data, "dev-signing-key");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        }

        return File.ReadAllText(file).Trim();
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
