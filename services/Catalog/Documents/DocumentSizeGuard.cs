using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Documents;

public sealed class DocumentTooLargeException(int size, int budget)
    : Exception($"The document would be {size} bytes, above the budget of {budget} bytes.")
{
    public int Size { get; } = size;
}

/// <summary>Measures a document as it will be sent and refuses it above the budget, long before Cosmos DB's 2 MB item limit.</summary>
public sealed class DocumentSizeGuard(IOptions<CatalogOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Check<T>(T document)
    {
        var size = JsonSerializer.SerializeToUtf8Bytes(document, Json).Length;
        if (size > options.Value.DocumentBudgetBytes)
        {
            throw new DocumentTooLargeException(size, options.Value.DocumentBudgetBytes);
        }
    }
}
