using Azure.Core;
using Azure.Identity;

namespace Dental.AzureClients;

public static class AzureCredentials
{
    /// <summary>
    /// The service's identity in Azure. AZURE_CLIENT_ID selects the user-assigned managed identity
    /// (set by the Bicep); on a developer's machine the Azure CLI login is used.
    /// </summary>
    public static TokenCredential Default { get; } = new DefaultAzureCredential();
}
