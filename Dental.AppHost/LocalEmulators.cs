using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dental.AppHost;

/// <summary>Azurite's blob and queue endpoints: what the services need to reach Storage.</summary>
public sealed record LocalStorage(IResourceBuilder<ExecutableResource> Resource, EndpointReference Blob, EndpointReference Queue);

/// <summary>
/// The Azure services as local processes. No container engine exists here or in CI, so Azurite and the
/// Cosmos-protocol emulator are executables from the emulators' npm packages, on ports allocated per run.
/// </summary>
public static class LocalEmulators
{
    // Azurite's and the Cosmos emulator's documented development keys; they only ever exist on this machine.
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string CosmosEmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static LocalStorage AddAzurite(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var azurite = builder.AddExecutable("azurite", Path.Combine(settings.Emulators, "node_modules", ".bin", "azurite"), settings.Emulators)
            .WithEndpoint(name: "blob", scheme: "http", isProxied: false)
            .WithEndpoint(name: "queue", scheme: "http", isProxied: false)
            // Azurite always starts its Table service too; an endpoint of its own keeps it off a taken 10002.
            .WithEndpoint(name: "table", scheme: "http", isProxied: false);
        var blob = azurite.GetEndpoint("blob");
        var queue = azurite.GetEndpoint("queue");
        azurite.WithArgs(context =>
            {
                context.Args.Add("--blobHost"); context.Args.Add("127.0.0.1");
                context.Args.Add("--blobPort"); context.Args.Add(blob.Property(EndpointProperty.TargetPort));
                context.Args.Add("--queueHost"); context.Args.Add("127.0.0.1");
                context.Args.Add("--queuePort"); context.Args.Add(queue.Property(EndpointProperty.TargetPort));
                context.Args.Add("--tableHost"); context.Args.Add("127.0.0.1");
                context.Args.Add("--tablePort"); context.Args.Add(azurite.GetEndpoint("table").Property(EndpointProperty.TargetPort));
            })
            .WithArgs("--location", Path.Combine(settings.DataPath, "azurite"), "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent")
            .WithTcpHealthCheck(builder, blob)
            .WithIconName("Storage");
        return new LocalStorage(azurite, blob, queue);
    }

    public static IResourceBuilder<ExecutableResource> AddCosmosEmulator(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var cosmos = builder.AddExecutable("cosmos", "node", settings.Emulators, "cosmos-emulator.js")
            .WithEndpoint(name: "https", scheme: "https", isProxied: false);
        var endpoint = cosmos.GetEndpoint("https");
        return cosmos
            .WithArgs(context =>
            {
                context.Args.Add("--port"); context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            })
            .WithArgs("--data", Path.Combine(settings.DataPath, "cosmos", "cosmos.json"))
            // Its certificate is self-signed, so an HTTP health check cannot trust it: check that TLS is served.
            .WithTcpHealthCheck(builder, endpoint, tls: true)
            .WithIconName("Database");
    }

    /// <summary>Blob, Queue and the Storage-queue transport, all on the local Azurite.</summary>
    public static IResourceBuilder<ProjectResource> WithStorage(this IResourceBuilder<ProjectResource> service, LocalStorage storage)
    {
        var connection = Connection(storage);
        return service
            .WithBlobStorage(storage)
            .WithEnvironment("Messaging__Transport", "StorageQueues")
            .WithEnvironment("Messaging__StorageQueues__ConnectionString", connection)
            .WithEnvironment("Messaging__EnsureCreated", "true");
    }

    /// <summary>Blob Storage only (the gateway reads the clinic registry there).</summary>
    public static IResourceBuilder<ProjectResource> WithBlobStorage(this IResourceBuilder<ProjectResource> service, LocalStorage storage) =>
        service
            .WithEnvironment("Storage__ConnectionString", Connection(storage))
            .WithEnvironment("Storage__EnsureCreated", "true")
            .WithReferenceRelationship(storage.Resource)
            .WaitFor(storage.Resource);

    private static ReferenceExpression Connection(LocalStorage storage) => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteAccountKey};BlobEndpoint=http://127.0.0.1:{storage.Blob.Property(EndpointProperty.Port)}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{storage.Queue.Property(EndpointProperty.Port)}/devstoreaccount1;");

    public static IResourceBuilder<ProjectResource> WithCosmos(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ExecutableResource> cosmos) =>
        service
            .WithEnvironment("Cosmos__ConnectionString", ReferenceExpression.Create(
                $"AccountEndpoint=https://127.0.0.1:{cosmos.GetEndpoint("https").Property(EndpointProperty.Port)}/;AccountKey={CosmosEmulatorKey}"))
            .WithEnvironment("Cosmos__AcceptEmulatorCertificate", "true")
            .WithEnvironment("Cosmos__EnsureCreated", "true")
            .WithReferenceRelationship(cosmos)
            .WaitFor(cosmos);

    private static IResourceBuilder<ExecutableResource> WithTcpHealthCheck(
        this IResourceBuilder<ExecutableResource> resource, IDistributedApplicationBuilder builder, EndpointReference endpoint, bool tls = false)
    {
        var name = $"{resource.Resource.Name}-{endpoint.EndpointName}";
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async cancellationToken =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", endpoint.Port, cancellationToken);
                if (tls)
                {
                    await using var stream = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate is not null);
                    await stream.AuthenticateAsClientAsync("127.0.0.1");
                }

                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
            {
                return HealthCheckResult.Unhealthy($"{endpoint.EndpointName} port not answering yet");
            }
        });
        return resource.WithHealthCheck(name);
    }
}
