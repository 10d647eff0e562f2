using Dental.AzureClients;

namespace Dental.Catalog;

public static class CatalogServiceExtensions
{
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.AddBlobStorage();
        builder.AddCosmos();
        return builder;
    }
}
