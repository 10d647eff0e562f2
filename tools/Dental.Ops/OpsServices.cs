using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;
using Dental.AzureClients;
using Dental.Clinics;
using Dental.Catalog.Store;
using Dental.Messaging;
using Dental.Upload.Store;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dental.Ops;

/// <summary>
/// The clients the operations need, configured exactly like the services (Storage, Cosmos, Messaging and
/// UploadRecords sections, from environment variables or an appsettings.json in the working folder). The
/// Catalog's documents and the Upload service's records are reached through the stores their owners publish.
/// </summary>
public sealed class OpsServices(IServiceProvider services) : IAsyncDisposable
{
    public ImageContainers Containers => services.GetRequiredService<ImageContainers>();

    public DocumentStore Documents { get; } = new(services.GetRequiredService<Container>(), new DocumentSizeGuard(DocumentSizeGuard.DefaultBudgetBytes));

    public UploadRecords UploadRecords => services.GetRequiredService<UploadRecords>();

    public IEventPublisher Publisher => services.GetRequiredService<IEventPublisher>();

    public ClinicRegistry Clinics => services.GetRequiredService<ClinicRegistry>();

    public IServiceProvider Provider => services;

    public static OpsServices Create(IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ops", DisableDefaults = true });
        builder.Configuration.AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().AddInMemoryCollection(settings ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBlobStorage();
        builder.AddClinicRegistry();
        builder.AddUploadRecords();
        builder.AddCosmos();
        builder.AddMessaging();
        return new OpsServices(builder.Services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        if (services is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Patients that have originals: the second-level folders ({clinic}/{patient}/) of the originals container.</summary>
    public async Task<List<PatientKey>> PatientsAsync(CancellationToken cancellationToken)
    {
        var patients = new List<PatientKey>();
        await foreach (var clinic in Containers.Originals.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken))
        {
            if (!clinic.IsPrefix)
            {
                continue;
            }

            await foreach (var patient in Containers.Originals.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/", Prefix = clinic.Prefix }, cancellationToken))
            {
                if (patient.IsPrefix)
                {
                    patients.Add(PatientKey.Parse(patient.Prefix.TrimEnd('/')));
                }
            }
        }

        return patients;
    }

    /// <summary>The SHA-256 of a stored blob, streamed; null when the blob does not exist.</summary>
    public static async Task<string?> Sha256Async(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            using var content = download.Value;
            return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content.Content, cancellationToken));
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public static async Task<List<string>> BlobNamesAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
