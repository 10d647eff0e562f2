using Dental.AzureClients;
using Dental.ServiceDefaults;

namespace Dental.Catalog;

public static class CatalogServiceExtensions
{
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CatalogOptions>(CatalogOptions.Section);
        builder.AddBlobStorage();
        builder.AddCosmos();
        return builder;
    }
}
