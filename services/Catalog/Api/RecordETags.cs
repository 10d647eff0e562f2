namespace Dental.Catalog.Api;

/// <summary>
/// An image record's version as an HTTP entity tag: Cosmos DB's _etag, always quoted (Azure quotes it; the local emulator does not),
/// so that clients and HTTP libraries parse it, and compared the same way when it comes back in If-Match.
/// </summary>
internal static class RecordETags
{
    public static string Of(string? cosmosETag) => $"\"{cosmosETag?.Trim('"')}\"";

    public static bool Matches(string? cosmosETag, string ifMatch) => Of(cosmosETag) == ifMatch.Trim();
}
