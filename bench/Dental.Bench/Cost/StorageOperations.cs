using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Dental.Bench.Cost;

/// <summary>How Azure bills a request: the meter it falls under.</summary>
internal enum Meter
{
    BlobWrite,
    BlobListOrCreate,
    BlobRead,
    BlobOther,
    Free,
    QueueOperation,
    CosmosRead,
    CosmosQuery,
    CosmosWrite,
}

/// <summary>
/// One kind of request to a store ("blob", "queue" or "cosmos"), as its REST operation is named, its meter, and what it
/// went to (a container or queue, without the test scope's suffix or prefix), which tells which part of the platform sent it.
/// </summary>
internal sealed record StorageOperation(string Store, string Name, Meter Meter, string Target = "")
{
    public override string ToString() => Target.Length == 0 ? $"{Store} {Name}" : $"{Store} {Name} ({Target})";
}

/// <summary>
/// Names each REST request by its operation and meter, from its method, path, query and headers: Blob Storage's mapping of
/// operations to its price categories (Standard general-purpose v2), Queue Storage's, and Cosmos DB's document operations.
/// </summary>
internal static partial class StorageOperations
{
    public static StorageOperation Blob(HttpRequest request)
    {
        var comp = request.Query["comp"].ToString();
        var container = request.Query["restype"] == "container";
        var (name, meter) = (request.Method, comp, container) switch
        {
            ("PUT", "", true) => ("Create Container", Meter.BlobListOrCreate),
            ("DELETE", "", true) => ("Delete Container", Meter.Free),
            ("GET", "list", _) => ("List Blobs", Meter.BlobListOrCreate),
            ("PUT", "lease", _) => ("Lease", Meter.BlobOther),
            (_, _, true) => ("Get Container Properties", Meter.BlobOther),
            ("PUT", "block", _) => ("Put Block", Meter.BlobWrite),
            ("PUT", "blocklist", _) => ("Put Block List", Meter.BlobWrite),
            ("GET", "blocklist", _) => ("Get Block List", Meter.BlobRead),
            ("PUT", "appendblock", _) => ("Append Block", Meter.BlobWrite),
            ("PUT", "metadata", _) => ("Set Blob Metadata", Meter.BlobWrite),
            ("PUT", "properties", _) => ("Set Blob Properties", Meter.BlobWrite),
            ("PUT", "", _) when request.Headers.ContainsKey("x-ms-copy-source") => ("Copy Blob", Meter.BlobWrite),
            ("PUT", "", _) => ("Put Blob", Meter.BlobWrite),
            ("GET", "", _) => ("Get Blob", Meter.BlobRead),
            ("HEAD", _, _) => ("Get Blob Properties", Meter.BlobOther),
            ("DELETE", "", _) => ("Delete Blob", Meter.Free),
            ("POST", "batch", _) => ("Blob Batch", Meter.BlobOther),
            _ => ($"{request.Method} ?comp={comp}", Meter.BlobOther),
        };
        return new StorageOperation("blob", name, meter, Segment(request, 1) is { } target ? ScopeSuffix().Replace(target, "") : "");
    }

    public static StorageOperation Queue(HttpRequest request)
    {
        // /{account}/{queue}[/messages[/{id}]]
        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var messages = segments.Length >= 3 && segments[2] == "messages";
        var one = segments.Length >= 4;
        var name = (request.Method, messages, one) switch
        {
            ("POST", true, false) => "Put Message",
            ("GET", true, false) when request.Query["peekonly"] == "true" => "Peek Messages",
            ("GET", true, false) => "Get Messages",
            ("DELETE", true, true) => "Delete Message",
            ("PUT", true, true) => "Update Message",
            ("DELETE", true, false) => "Clear Messages",
            ("PUT", false, _) => "Create Queue",
            _ => $"{request.Method} {(request.Query["comp"].ToString() is { Length: > 0 } comp ? "?comp=" + comp : "queue")}",
        };
        return new StorageOperation("queue", name, Meter.QueueOperation, segments.Length >= 2 ? ScopePrefix().Replace(segments[1], "") : "");
    }

    public static StorageOperation Cosmos(HttpRequest request)
    {
        var path = request.Path.Value!.Trim('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var onDocuments = segments.Length >= 5 && segments[4] == "docs";
        var oneDocument = onDocuments && segments.Length >= 6;
        var (name, meter) = (request.Method, onDocuments, oneDocument) switch
        {
            ("POST", true, false) when IsSet(request, "x-ms-documentdb-isquery") || request.ContentType?.Contains("query+json", StringComparison.Ordinal) == true
                => ("Query", Meter.CosmosQuery),
            ("POST", true, false) when IsSet(request, "x-ms-cosmos-is-batch-request") => ("Transactional Batch", Meter.CosmosWrite),
            ("POST", true, false) when IsSet(request, "x-ms-documentdb-is-upsert") => ("Upsert Document", Meter.CosmosWrite),
            ("POST", true, false) => ("Create Document", Meter.CosmosWrite),
            ("PUT", true, true) => ("Replace Document", Meter.CosmosWrite),
            ("PATCH", true, true) => ("Patch Document", Meter.CosmosWrite),
            ("DELETE", true, true) => ("Delete Document", Meter.CosmosWrite),
            ("GET", true, true) => ("Read Document", Meter.CosmosRead),
            _ => ("Metadata (account, container, partition key ranges)", Meter.CosmosRead),
        };
        return new StorageOperation("cosmos", name, meter);
    }

    private static string? Segment(HttpRequest request, int index) =>
        request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries) is var segments && segments.Length > index ? segments[index] : null;

    [GeneratedRegex("-[0-9a-f]{12}$")]
    private static partial Regex ScopeSuffix();

    [GeneratedRegex("^t[0-9a-f]{12}")]
    private static partial Regex ScopePrefix();

    private static bool IsSet(HttpRequest request, string header) =>
        request.Headers[header].ToString().Equals("true", StringComparison.OrdinalIgnoreCase);
}
