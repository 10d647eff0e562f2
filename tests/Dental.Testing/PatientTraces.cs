using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Dental.AzureClients;
using Microsoft.Azure.Cosmos;

namespace Dental.Testing;

/// <summary>
/// Everywhere a scope's platform keeps data, searched for one id: every blob's name, metadata and bytes in every container
/// but the audit trail's, every message of every queue (poison queues too), every document of every Cosmos container. What
/// may hold the id after an erasure is passed in (the tombstones).
/// </summary>
public static class PatientTraces
{
    public static async Task<List<string>> FindAsync(TestScope scope, string id, Func<string, bool> allowedBlob, Func<JsonObject, bool> allowedDocument)
    {
        var found = new List<string>();
        var needle = Encoding.UTF8.GetBytes(id);
        var blobs = new BlobServiceClient(scope.StorageConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            if (container.Name == scope.AuditContainer)
            {
                continue;
            }

            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                var where = $"blob {container.Name}/{blob.Name}";
                if (allowedBlob($"{container.Name}/{blob.Name}"))
                {
                    continue;
                }

                if (blob.Name.Contains(id, StringComparison.Ordinal) || blob.Metadata.Values.Any(v => v.Contains(id, StringComparison.Ordinal))
                    || Contains((await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray(), needle))
                {
                    found.Add(where);
                }
            }
        }

        var queues = new QueueServiceClient(scope.StorageConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: scope.QueuePrefix))
        {
            var client = queues.GetQueueClient(queue.Name);
            if ((await client.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                found.AddRange((await client.PeekMessagesAsync(32)).Value.Where(m => Readable(m.Body).Contains(id, StringComparison.Ordinal)).Select(m => $"message in {queue.Name}"));
            }
        }

        using var cosmos = CosmosExtensions.CreateClient(new CosmosOptions { ConnectionString = scope.CosmosConnectionString, AcceptEmulatorCertificate = true });
        var database = cosmos.GetDatabase(scope.Database);
        using var containers = database.GetContainerQueryIterator<ContainerProperties>();
        while (containers.HasMoreResults)
        {
            foreach (var properties in await containers.ReadNextAsync())
            {
                using var documents = database.GetContainer(properties.Id).GetItemQueryStreamIterator(queryText: null);
                while (documents.HasMoreResults)
                {
                    using var page = await documents.ReadNextAsync();
                    page.EnsureSuccessStatusCode();
                    foreach (var document in (await JsonNode.ParseAsync(page.Content))!["Documents"]!.AsArray().Select(d => d!.AsObject()))
                    {
                        if (document.ToJsonString().Contains(id, StringComparison.Ordinal) && !allowedDocument(document))
                        {
                            found.Add($"document {properties.Id}/{document["id"]}");
                        }
                    }
                }
            }
        }

        return found;
    }

    /// <summary>A queue message's text, and for a dead letter (its body kept base64-encoded in the poison queue) the event inside too.</summary>
    public static string Readable(BinaryData message)
    {
        var text = message.ToString();
        try
        {
            return JsonNode.Parse(text) is JsonObject { } letter && letter["body"] is JsonValue body && body.TryGetValue<string>(out var encoded)
                ? text + Encoding.UTF8.GetString(Convert.FromBase64String(encoded))
                : text;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            return text;
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
