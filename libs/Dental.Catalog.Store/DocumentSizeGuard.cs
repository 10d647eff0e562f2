using System.Text.Json;

namespace Dental.Catalog.Store;

public sealed class DocumentTooLargeException(int size, int budget)
    : Exception($"The document would be {size} bytes, above the budget of {budget} bytes.")
{
    public int Size { get; } = size;
}

/// <summary>Measures a document as it will be sent and refuses it above the budget, long before Cosmos DB's 2 MB item limit.</summary>
public sealed class DocumentSizeGuard(int budgetBytes)
{
    public const int DefaultBudgetBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Check<T>(T document)
    {
        var size = JsonSerializer.SerializeToUtf8Bytes(document, Json).Length;
        if (size > budgetBytes)
        {
            throw new DocumentTooLargeException(size, budgetBytes);
        }
    }
}
