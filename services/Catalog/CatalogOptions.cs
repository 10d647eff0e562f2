using System.ComponentModel.DataAnnotations;

namespace Dental.Catalog;

public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>Largest serialized document written to Cosmos DB; far below its 2 MB item limit.</summary>
    [Range(1024, 1_900_000)]
    public int DocumentBudgetBytes { get; set; } = Store.DocumentSizeGuard.DefaultBudgetBytes;

    [Range(1, 100)]
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>When above zero, content requests answer 302 to a read-only SAS valid this long instead of streaming.</summary>
    [Range(0, 60)]
    public int ContentSasMinutes { get; set; }

    /// <summary>How long a deleted image stays restorable before the retention purge removes it for good.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DeletedImageRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention purge looks for deleted images past their retention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a correction may take its owners before the Catalog asks them again (and how often it looks).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CorrectionRecheckInterval { get; set; } = TimeSpan.FromMinutes(2);
}
