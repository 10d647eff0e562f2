using System.Net;
using Dental.Catalog.Documents;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Persistence;

/// <summary>
/// Reads and optimistic, ETag-conditioned writes of one patient's documents: a change is computed from
/// the current version and written only if nobody changed it meanwhile (412 → read again, recompute).
/// </summary>
public sealed class DocumentStore(Container container, DocumentSizeGuard guard)
{
    public async Task<T?> ReadAsync<T>(string patientId, string id, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await container.ReadItemAsync<T>(id, new PartitionKey(patientId), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> until it is written against the version it was computed from.
    /// Returning the same instance means "nothing to change"; returns the stored version.
    /// </summary>
    public async Task<T?> UpdateAsync<T>(string patientId, string id, Func<T?, T?> change, Func<T, string?> etagOf, CancellationToken cancellationToken)
        where T : class
    {
        var partition = new PartitionKey(patientId);
        while (true)
        {
            var current = await ReadAsync<T>(patientId, id, cancellationToken);
            var next = change(current);
            if (next is null || ReferenceEquals(next, current))
            {
                return current;
            }

            guard.Check(next);
            try
            {
                var response = current is null
                    ? await container.CreateItemAsync(next, partition, cancellationToken: cancellationToken)
                    : await container.ReplaceItemAsync(next, id, partition, new ItemRequestOptions { IfMatchEtag = etagOf(current) }, cancellationToken);
                return response.Resource;
            }
            catch (CosmosException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            {
                // Someone else wrote first: recompute from their version.
            }
        }
    }

    /// <summary>One page of a query inside the patient's partition; the token continues a previous page.</summary>
    public async Task<FeedResponse<T>> QueryPageAsync<T>(string patientId, QueryDefinition query, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<T>(query, continuationToken, new QueryRequestOptions
        {
            PartitionKey = new PartitionKey(patientId),
            MaxItemCount = pageSize,
        });
        return await iterator.ReadNextAsync(cancellationToken);
    }

    /// <summary>Deletes every document of the patient (images and summary); returns how many it deleted.</summary>
    public async Task<int> DeletePatientAsync(string patientId, CancellationToken cancellationToken)
    {
        var partition = new PartitionKey(patientId);
        // The emulator ignores the partition key in queries: the filter keeps the query to this patient everywhere.
        using var ids = container.GetItemQueryIterator<IdOnly>(
            new QueryDefinition("SELECT c.id FROM c WHERE c.patientId = @patientId").WithParameter("@patientId", patientId),
            requestOptions: new QueryRequestOptions { PartitionKey = partition });
        var toDelete = new List<string>();
        while (ids.HasMoreResults)
        {
            toDelete.AddRange((await ids.ReadNextAsync(cancellationToken)).Select(d => d.Id));
        }

        var deleted = 0;
        foreach (var id in toDelete)
        {
            using var response = await container.DeleteItemStreamAsync(id, partition, cancellationToken: cancellationToken);
            deleted += response.IsSuccessStatusCode ? 1 : 0;
        }

        return deleted;
    }

    public Task<ImageDocument?> UpdateImageAsync(string patientId, string id, Func<ImageDocument?, ImageDocument?> change, CancellationToken cancellationToken) =>
        UpdateAsync(patientId, id, change, d => d.ETag, cancellationToken);

    private sealed record IdOnly(string Id);
}
