using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Ops;
using Dental.Testing;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.Bench;

/// <summary>Backup and restore throughput of the operations tool: 200 MB of originals of one patient, Azurite to a local zip and back.</summary>
public static class BackupBenchmark
{
    private const int Files = 40;
    private const int SizeMb = 5;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var scope = await TestScope.CreateAsync();
        var storage = new BlobServiceClient(scope.StorageConnectionString);
        var originals = storage.GetBlobContainerClient(scope.OriginalsContainer);
        await originals.CreateIfNotExistsAsync();
        // The originals are written here, not through the Upload service: its records container (backed up too) is made as it would.
        await storage.GetBlobContainerClient(scope.UploadRecordsContainer).CreateIfNotExistsAsync();
        var patient = new PatientKey(TestTokens.Clinic, Guid.NewGuid().ToString());
        await Parallel.ForAsync(0, Files, async (i, ct) => await originals.GetBlobClient(BlobNames.Original(patient, "11", "xray", Guid.CreateVersion7(), "jpg"))
            .UploadAsync(new BinaryData(TestImages.JpegLike(4000, 3000, SizeMb * 1024 * 1024, seed: i)), ct));
        await using var ops = OpsServices.Create(scope.ServiceSettings());
        // The catalog database must exist for the documents part (empty here: blobs dominate the time).
        var database = await ops.Provider.GetRequiredService<CosmosClient>().CreateDatabaseIfNotExistsAsync(scope.Database);
        await database.Database.CreateContainerIfNotExistsAsync("images", CosmosExtensions.PartitionKeyPath);
        var zip = Path.Combine(Path.GetTempPath(), $"bench-backup-{Guid.NewGuid():N}.zip");
        try
        {
            var clock = Stopwatch.StartNew();
            await new BackupCommand(ops).RunAsync(zip, [patient], previews: false, null, default);
            var backup = clock.Elapsed.TotalSeconds;
            await foreach (var blob in originals.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobNames.PatientPrefix(patient) }))
            {
                await originals.DeleteBlobAsync(blob.Name);
            }

            clock.Restart();
            var report = await new RestoreCommand(ops).RunAsync(zip, dryRun: false, null, default);
            var restore = clock.Elapsed.TotalSeconds;
            const double total = Files * SizeMb;
            return
            [
                new Figure($"backup {Files}×{SizeMb} MB originals to a zip", total / backup, "MB/s"),
                new Figure($"restore {report.BlobsWritten} originals (SHA-256 verified first)", total / restore, "MB/s"),
            ];
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
