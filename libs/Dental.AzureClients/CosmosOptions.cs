using System.ComponentModel.DataAnnotations;

namespace Dental.AzureClients;

/// <summary>Cosmos DB for NoSQL: a connection string locally (emulator), the endpoint with managed identity in Azure.</summary>
public sealed class CosmosOptions : IValidatableObject
{
    public const string Section = "Cosmos";

    public string? ConnectionString { get; set; }

    public Uri? Endpoint { get; set; }

    [Required]
    public string Database { get; set; } = "dental";

    [Required]
    public string Container { get; set; } = "images";

    /// <summary>Create the database and container at start when missing (local runs; Bicep creates them in Azure).</summary>
    public bool EnsureCreated { get; set; }

    /// <summary>The local emulator serves a self-signed certificate; never set in Azure.</summary>
    public bool AcceptEmulatorCertificate { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && Endpoint is null)
        {
            yield return new ValidationResult("Set Cosmos:ConnectionString (local) or Cosmos:Endpoint (Azure).", [nameof(ConnectionString), nameof(Endpoint)]);
        }
    }
}
