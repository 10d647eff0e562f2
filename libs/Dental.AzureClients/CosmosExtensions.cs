using System.Net.Security;
using System.Text.Json;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.AzureClients;

public static class CosmosExtensions
{
    /// <summary>The patient inside its clinic ({clinicId}/{patientId}): every query of the platform stays in one partition.</summary>
    public const string PartitionKeyPath = "/partitionKey";

    /// <summary>The Cosmos client, the images container, and a readiness check that reaches it.</summary>
    public static IHostApplicationBuilder AddCosmos(this IHostApplicationBuilder builder)
    {
        // Cross-partition queries need the query plan; on Linux the SDK computes it only with this set.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        builder.Services.AddValidatedOptions<CosmosOptions>(CosmosOptions.Section);
        builder.Services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<CosmosOptions>>().Value));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosOptions>>().Value;
            return sp.GetRequiredService<CosmosClient>().GetContainer(options.Database, options.Container);
        });
        builder.Services.AddStartupInitializer("cosmos container", async (sp, ct) =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosOptions>>().Value;
            if (options.EnsureCreated)
            {
                var client = sp.GetRequiredService<CosmosClient>();
                var database = await client.CreateDatabaseIfNotExistsAsync(options.Database, cancellationToken: ct);
                await database.Database.CreateContainerIfNotExistsAsync(options.Container, PartitionKeyPath, cancellationToken: ct);
            }
        });
        builder.Services.AddHealthChecks().AddReadinessProbe("cosmos", (sp, ct) =>
            sp.GetRequiredService<Container>().ReadContainerAsync(cancellationToken: ct));
        return builder;
    }

    private static bool IsLoopbackEndpoint(CosmosOptions options)
    {
        var endpoint = options.Endpoint?.ToString()
            ?? options.ConnectionString?.Split(';').Select(p => p.Split('=', 2))
                .FirstOrDefault(p => p[0].Trim().Equals("AccountEndpoint", StringComparison.OrdinalIgnoreCase))?[1];
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.IsLoopback;
    }

    public static CosmosClient CreateClient(CosmosOptions options)
    {
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "dental",
            UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
        };
        if (options.AcceptEmulatorCertificate)
        {
            // The emulator's self-signed certificate is trusted only for an emulator on this machine.
            var loopback = IsLoopbackEndpoint(options);
            clientOptions.ConnectionMode = ConnectionMode.Gateway;
            clientOptions.LimitToEndpoint = true;
            clientOptions.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || loopback },
            });
        }

        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new CosmosClient(options.Endpoint!.ToString(), AzureCredentials.Default, clientOptions)
            : new CosmosClient(options.ConnectionString, clientOptions);
    }
}
