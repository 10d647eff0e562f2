using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Dental.Contracts;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Store;

/// <summary>
/// The Catalog's documents (partition /partitionKey: {clinicId}/{patientId}). Writes are optimistic and ETag-conditioned: a change is
/// computed from the current version and written only if nobody changed it meanwhile (412 → read again,
/// recompute). The container stays inside: callers ask for what they need.
/// </summary>
public sealed class DocumentStore(Container container, DocumentSizeGuard guard) : IDisposable
{
    private readonly WrittenVersions _written = new();

    private static readonly string[] CosmosSystemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts"];

    public Task<T?> ReadAsync<T>(PatientKey patient, string id, CancellationToken cancellationToken)
        where T : class =>
        ReadAsync<T>(new PartitionKey(patient.Path), id, cancellationToken);

    private async Task<T?> ReadAsync<T>(PartitionKey partition, string id, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await container.ReadItemAsync<T>(id, partition, cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> until it is written against the version it was computed from.
    /// Returning the same instance means "nothing to change"; returns the stored version. <paramref name="likelyNew"/>: the
    /// document most likely does not exist yet (an image's first event), so it is created without reading first; if it
    /// does exist, the refused create costs what the read would have.
    /// </summary>
    public Task<ImageDocument?> UpdateImageAsync(
        PatientKey patient, string id, Func<ImageDocument?, ImageDocument?> change, CancellationToken cancellationToken, bool likelyNew = false) =>
        UpdateAsync(new PartitionKey(patient.Path), id, change, d => d.ETag, guard.Check, cancellationToken, likelyNew: likelyNew);

    /// <summary>
    /// The optimistic write every change goes through: compute from the current version, write only against it (412/409 → again).
    /// The current version is the one this process last wrote when it has it (<see cref="WrittenVersions"/>), else a read. "Nothing
    /// to change" is judged on a read version, unless <paramref name="trustWritten"/> accepts the written one.
    /// </summary>
    private async Task<T?> UpdateAsync<T>(
        PartitionKey partition, string id, Func<T?, T?> change, Func<T, string?> etag, Action<T> check, CancellationToken cancellationToken,
        bool trustWritten = false, bool likelyNew = false)
        where T : class
    {
        var written = _written.Find<T>(partition, id);
        // Absent is only a guess: a create is refused (409) when it is wrong, and "nothing to change" is never judged on it.
        var guessedAbsent = likelyNew && written is null;
        while (true)
        {
            var current = written ?? (guessedAbsent ? null : await ReadAsync<T>(partition, id, cancellationToken));
            var next = change(current);
            if (next is null || ReferenceEquals(next, current))
            {
                if ((written is not null && !trustWritten) || guessedAbsent)
                {
                    written = null;
                    guessedAbsent = false;
                    continue;
                }

                return current;
            }

            check(next);
            try
            {
                var response = current is null
                    ? await container.CreateItemAsync(next, partition, cancellationToken: cancellationToken)
                    : await container.ReplaceItemAsync(next, id, partition, new ItemRequestOptions { IfMatchEtag = etag(current) }, cancellationToken);
                _written.Remember(partition, id, response.Resource);
                return response.Resource;
            }
            catch (CosmosException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
                || (written is not null && ex.StatusCode == HttpStatusCode.NotFound))
            {
                // Someone else wrote (or deleted) first: recompute from what is stored now.
                _written.Forget(partition, id);
                written = null;
                guessedAbsent = false;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="next"/> only if the image is still the version <paramref name="current"/> was read as (its ETag): null when
    /// someone changed it meanwhile. The same instance for both means there is nothing to write.
    /// </summary>
    public async Task<ImageDocument?> ReplaceImageIfMatchAsync(ImageDocument current, ImageDocument next, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(current, next))
        {
            return current;
        }

        guard.Check(next);
        try
        {
            return (await container.ReplaceItemAsync(next, next.Id, new PartitionKey(next.PartitionKey), new ItemRequestOptions { IfMatchEtag = current.ETag }, cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks the patient active at <paramref name="at"/> unless it already was later (ETag-conditioned, like every write). Activity
    /// only moves forward, so this process's own last write is enough to tell "already later".
    /// </summary>
    public Task RecordActivityAsync(PatientKey patient, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync<PatientActivity>(
            PatientActivity.PartitionOf(patient.ClinicId),
            PatientActivity.IdOf(patient),
            current => current is not null && current.LastActivityAt >= at ? current : PatientActivity.For(patient, at),
            a => a.ETag,
            _ => { },
            cancellationToken,
            trustWritten: true);

    /// <summary>A patient's erasure or a clinic's offboarding (its tombstone and receipt), or null when there was none.</summary>
    public Task<ErasureRecord?> ReadErasureAsync(ErasureScope scope, CancellationToken cancellationToken) =>
        ReadAsync<ErasureRecord>(ErasureRecord.PartitionOf(scope.ClinicId), ErasureRecord.IdOf(scope), cancellationToken);

    /// <summary>Changes an erasure record like every write: against the version read.</summary>
    public Task<ErasureRecord?> UpdateErasureAsync(ErasureScope scope, Func<ErasureRecord?, ErasureRecord?> change, CancellationToken cancellationToken) =>
        UpdateAsync(ErasureRecord.PartitionOf(scope.ClinicId), ErasureRecord.IdOf(scope), change, e => e.ETag, _ => { }, cancellationToken);

    /// <summary>The clinic's <paramref name="count"/> most recently active patients, newest first: one query in the clinic's partition.</summary>
    public async Task<List<PatientActivity>> RecentPatientsAsync(string clinicId, int count, CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<PatientActivity>(PatientActivity.Recent(clinicId, count), requestOptions: new QueryRequestOptions
        {
            PartitionKey = PatientActivity.PartitionOf(clinicId),
            MaxItemCount = count,
        });
        var recent = new List<PatientActivity>();
        while (iterator.HasMoreResults && recent.Count < count)
        {
            recent.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return [.. recent.Take(count)];
    }

    /// <summary>Removes the patient from the clinic's activity (erasure).</summary>
    public async Task<bool> ForgetActivityAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        _written.Forget(PatientActivity.PartitionOf(patient.ClinicId), PatientActivity.IdOf(patient));
        using var response = await container.DeleteItemStreamAsync(PatientActivity.IdOf(patient), PatientActivity.PartitionOf(patient.ClinicId), cancellationToken: cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>One page of a query inside the patient's partition; the token continues a previous page.</summary>
    public async Task<FeedResponse<T>> QueryPageAsync<T>(PatientKey patient, QueryDefinition query, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<T>(query, continuationToken, new QueryRequestOptions
        {
            PartitionKey = new PartitionKey(patient.Path),
            MaxItemCount = pageSize,
        });
        return await iterator.ReadNextAsync(cancellationToken);
    }

    /// <summary>Every result of a query inside the patient's partition (across all partitions when null), page by page.</summary>
    public async IAsyncEnumerable<T> QueryAllAsync<T>(PatientKey? patient, QueryDefinition query, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions
        {
            PartitionKey = patient is { } key ? new PartitionKey(key.Path) : null,
            MaxItemCount = pageSize,
        });
        while (iterator.HasMoreResults)
        {
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
            {
                yield return item;
            }
        }
    }

    /// <summary>The variants of the given originals of one patient, oldest first (one single-partition query).</summary>
    public async Task<List<ImageDocument>> VariantsOfAsync(PatientKey patient, IReadOnlyCollection<Guid> originals, CancellationToken cancellationToken)
    {
        var variants = new List<ImageDocument>();
        if (originals.Count == 0)
        {
            return variants;
        }

        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.partitionKey = @partition AND c.docType = @kind AND ARRAY_CONTAINS(@originals, c.upload.variant.of) ORDER BY c.sortKey ASC")
            .WithParameter("@partition", patient.Path)
            .WithParameter("@kind", ImageDocument.Kind)
            .WithParameter("@originals", originals.Select(o => o.ToString("D")).ToArray());
        await foreach (var variant in QueryAllAsync<ImageDocument>(patient, query, 100, cancellationToken))
        {
            variants.Add(variant);
        }

        return variants;
    }

    /// <summary>The counts of the patient's dental chart, computed from the image documents themselves (one single-partition query).</summary>
    public async Task<PatientChart> ChartAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var entries = new List<ChartEntry>();
        await foreach (var entry in QueryAllAsync<ChartEntry>(patient, PatientChart.Query(patient), PatientChart.PageSize, cancellationToken))
        {
            entries.Add(entry);
        }

        return PatientChart.Count(entries);
    }

    /// <summary>Every uploaded image of every patient (a cross-partition scan, for the operations tool's verify).</summary>
    public IAsyncEnumerable<ImageDocument> AllUploadedImagesAsync(CancellationToken cancellationToken) => QueryAllAsync<ImageDocument>(
        patient: null,
        new QueryDefinition("SELECT * FROM c WHERE c.docType = @kind AND IS_DEFINED(c.upload)").WithParameter("@kind", ImageDocument.Kind),
        pageSize: -1,
        cancellationToken);

    /// <summary>Images deleted before <paramref name="cutoff"/> in every clinic (a cross-partition scan, for the retention purge).</summary>
    public IAsyncEnumerable<ImageDocument> DeletedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => QueryAllAsync<ImageDocument>(
        patient: null,
        new QueryDefinition("SELECT * FROM c WHERE c.docType = @kind AND IS_DEFINED(c.upload) AND IS_STRING(c.deletedAt) AND c.deletedAt < @cutoff")
            .WithParameter("@kind", ImageDocument.Kind)
            .WithParameter("@cutoff", StoredTime(cutoff)),
        pageSize: 100,
        cancellationToken);

    /// <summary>Images whose correction was asked before <paramref name="cutoff"/> and has not come back from the owners (a cross-partition scan).</summary>
    public IAsyncEnumerable<ImageDocument> CorrectionsPendingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => QueryAllAsync<ImageDocument>(
        patient: null,
        new QueryDefinition("SELECT * FROM c WHERE c.docType = @kind AND IS_DEFINED(c.correction) AND c.correction.requestedAt < @cutoff")
            .WithParameter("@kind", ImageDocument.Kind)
            .WithParameter("@cutoff", StoredTime(cutoff)),
        pageSize: 100,
        cancellationToken);

    /// <summary>A time as the serializer stores it, so that string comparison in a query orders it correctly.</summary>
    private static string StoredTime(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every document of the patient as stored, without the properties Cosmos DB adds itself (for backups).</summary>
    public async Task<List<JsonObject>> ExportPatientAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var documents = new List<JsonObject>();
        // The emulator ignores the partition key in queries: the filter keeps the query to this patient everywhere.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.partitionKey = @partition").WithParameter("@partition", patient.Path);
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(patient.Path) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            var page = await JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken);
            documents.AddRange(page!["Documents"]!.AsArray().Select(item => WithoutSystemProperties((JsonObject)item!.DeepClone())));
        }

        return documents;
    }

    /// <summary>One document as stored (without system properties), or null when there is none.</summary>
    public async Task<JsonObject?> ExportAsync(PatientKey patient, string id, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(patient.Path), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return WithoutSystemProperties((await JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken))!.AsObject());
    }

    /// <summary>Writes a document exported earlier back as it was (restores).</summary>
    public async Task ImportAsync(PatientKey patient, Stream document, CancellationToken cancellationToken)
    {
        using var response = await container.UpsertItemStreamAsync(document, new PartitionKey(patient.Path), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task DeleteAsync(PatientKey patient, string id, CancellationToken cancellationToken)
    {
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(patient.Path), cancellationToken: cancellationToken);
    }

    /// <summary>Deletes every document of the patient; returns how many it deleted.</summary>
    public async Task<int> DeletePatientAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.partitionKey = @partition").WithParameter("@partition", patient.Path);
        var ids = new List<string>();
        await foreach (var document in QueryAllAsync<IdOnly>(patient, query, 1000, cancellationToken))
        {
            ids.Add(document.Id);
        }

        return await DeleteAllAsync(ids.Select(id => (id, patient.Path)), cancellationToken);
    }

    /// <summary>
    /// Deletes every document of every patient of the clinic (a cross-partition query) and the clinic's recent-patient entries;
    /// its erasure records stay (they are the tombstones). Returns how many it deleted.
    /// </summary>
    public async Task<int> DeleteClinicAsync(string clinicId, CancellationToken cancellationToken)
    {
        var documents = new List<(string Id, string Partition)>();
        var patients = new QueryDefinition("SELECT c.id, c.partitionKey FROM c WHERE STARTSWITH(c.partitionKey, @prefix)").WithParameter("@prefix", $"{clinicId}/");
        await foreach (var document in QueryAllAsync<IdInPartition>(null, patients, 1000, cancellationToken))
        {
            documents.Add((document.Id, document.PartitionKey));
        }

        var activity = new QueryDefinition("SELECT c.id, c.partitionKey FROM c WHERE c.partitionKey = @clinic AND c.docType = @kind")
            .WithParameter("@clinic", clinicId).WithParameter("@kind", PatientActivity.Kind);
        using (var iterator = container.GetItemQueryIterator<IdInPartition>(activity, requestOptions: new QueryRequestOptions { PartitionKey = PatientActivity.PartitionOf(clinicId) }))
        {
            while (iterator.HasMoreResults)
            {
                documents.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => (d.Id, d.PartitionKey)));
            }
        }

        return await DeleteAllAsync(documents, cancellationToken);
    }

    /// <summary>Deletes the documents side by side (an erasure can reach thousands); returns how many existed.</summary>
    private async Task<int> DeleteAllAsync(IEnumerable<(string Id, string Partition)> documents, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (document, ct) =>
        {
            using var response = await container.DeleteItemStreamAsync(document.Id, new PartitionKey(document.Partition), cancellationToken: ct);
            Interlocked.Add(ref deleted, response.IsSuccessStatusCode ? 1 : 0);
        });
        return deleted;
    }

    private static JsonObject WithoutSystemProperties(JsonObject document)
    {
        foreach (var property in CosmosSystemProperties)
        {
            document.Remove(property);
        }

        return document;
    }

    private sealed record IdOnly(string Id);

    private sealed record IdInPartition(string Id, string PartitionKey);

    public void Dispose() => _written.Dispose();
}
