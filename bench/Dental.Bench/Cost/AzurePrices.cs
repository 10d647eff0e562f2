namespace Dental.Bench.Cost;

/// <summary>
/// Pay-as-you-go list prices in US dollars (East US, locally redundant, as the Azure pricing pages gave them in 2025): an
/// estimate to compare designs with, not a quote. Blob Storage hot tier, Standard general-purpose v2: writes and
/// list/create-container $0.05 per 10 000, reads and other operations $0.004 per 10 000, deletes free; Queue Storage
/// $0.004 per 10 000 operations; Cosmos DB serverless $0.25 per million request units.
/// </summary>
internal static class AzurePrices
{
    private const double PerRequestUnit = 0.25 / 1_000_000;

    /// <summary>
    /// Request units per operation for a document of about 2 KB with the default indexing policy (Cosmos DB's published
    /// guidance: 1 RU for a 1 KB point read, about 5–10 for a write); the local emulator charges 1 RU for everything, so it
    /// cannot tell.
    /// </summary>
    public static double RequestUnits(Meter meter) => meter switch
    {
        Meter.CosmosRead => 1,
        Meter.CosmosQuery => 3,
        Meter.CosmosWrite => 8,
        _ => 0,
    };

    public static double Dollars(Meter meter) => meter switch
    {
        Meter.BlobWrite or Meter.BlobListOrCreate => 0.05 / 10_000,
        Meter.BlobRead or Meter.BlobOther or Meter.QueueOperation => 0.004 / 10_000,
        Meter.Free => 0,
        _ => RequestUnits(meter) * PerRequestUnit,
    };
}
