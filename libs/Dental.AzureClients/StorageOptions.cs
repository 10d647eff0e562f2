using System.ComponentModel.DataAnnotations;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// Azure Storage account. Locally a connection string (Azurite); in Azure the service URIs with the
/// service's managed identity (shared keys are disabled there).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    [Required]
    public string OriginalsContainer { get; set; } = BlobNames.OriginalsContainer;

    [Required]
    public string PreviewsContainer { get; set; } = BlobNames.PreviewsContainer;

    /// <summary>Create containers and queues at start when missing (local runs; Bicep creates them in Azure).</summary>
    public bool EnsureCreated { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && BlobServiceUri is null)
        {
            yield return new ValidationResult("Set Storage:ConnectionString (local) or Storage:BlobServiceUri (Azure).", [nameof(ConnectionString), nameof(BlobServiceUri)]);
        }
    }
}
