using System.Net;
using Dental.AzureClients;
using Dental.Testing;
using Microsoft.Azure.Cosmos;

namespace Dental.IntegrationTests.Foundation;

/// <summary>The project's launcher fixes what the npm Cosmos emulator gets wrong, and adds persistence.</summary>
public class CosmosEmulatorTests
{
    private sealed record Item(string Id, string PartitionKey, string Note);

    private static async Task<Container> ContainerAsync(string connectionString)
    {
        var client = CosmosExtensions.CreateClient(new CosmosOptions { ConnectionString = connectionString, AcceptEmulatorCertificate = true });
        var database = await client.CreateDatabaseIfNotExistsAsync("persist");
        return (await database.Database.CreateContainerIfNotExistsAsync("items", CosmosExtensions.PartitionKeyPath)).Container;
    }

    [Fact]
    public async Task A_missing_item_is_404_not_500()
    {
        var emulators = await TestEmulators.GetAsync();
        var container = await ContainerAsync(emulators.CosmosConnectionString);

        var error = await Assert.ThrowsAsync<CosmosException>(() =>
            container.ReadItemAsync<Item>(Guid.NewGuid().ToString(), new PartitionKey("nobody")));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        var deleteError = await Assert.ThrowsAsync<CosmosException>(() =>
            container.DeleteItemAsync<Item>(Guid.NewGuid().ToString(), new PartitionKey("nobody")));
        Assert.Equal(HttpStatusCode.NotFound, deleteError.StatusCode);
    }

    [Fact]
    public async Task Data_survives_a_crash_and_restart_when_a_data_file_is_given()
    {
        var port = FreePort.Next();
        var dataFile = Path.Combine(Path.GetTempPath(), $"cosmos-{Guid.NewGuid():N}", "cosmos.json");
        var connection = TestEmulators.CosmosConnectionStringFor(port);
        string[] arguments = ["cosmos-emulator.js", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataFile];
        var item = new Item(Guid.NewGuid().ToString(), "clinic-a/p-1", "kept");
        try
        {
            using (var first = new TestProcess("cosmos-persist", "node", arguments, RepositoryPaths.Emulators))
            {
                await first.WaitUntilAsync(() => Task.FromResult(first.Output.Contains("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
                var container = await ContainerAsync(connection);
                await container.CreateItemAsync(item, new PartitionKey(item.PartitionKey));
                // Snapshots are written every 2 s; wait for one, then kill the process without warning.
                await Eventually.ReturnsAsync(
                    () => Task.FromResult(File.Exists(dataFile) && File.ReadAllText(dataFile).Contains(item.Id, StringComparison.Ordinal)),
                    saved => saved,
                    "the snapshot to contain the item");
            }

            using var second = new TestProcess("cosmos-persist", "node", arguments, RepositoryPaths.Emulators);
            await second.WaitUntilAsync(() => Task.FromResult(second.Output.Contains("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
            var reread = await (await ContainerAsync(connection)).ReadItemAsync<Item>(item.Id, new PartitionKey(item.PartitionKey));
            Assert.Equal(item, reread.Resource);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dataFile)!, recursive: true);
        }
    }
}
