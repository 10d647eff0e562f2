using Dental.AzureClients;
using Dental.Catalog.Documents;
using Dental.Catalog.Handlers;
using Dental.Catalog.Persistence;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults;

namespace Dental.Catalog;

public static class CatalogServiceExtensions
{
    public const string Subscription = "catalog";

    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CatalogOptions>(CatalogOptions.Section);
        builder.Services.AddOpenApi();
        builder.AddBlobStorage();
        builder.AddCosmos();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DocumentSizeGuard>();
        builder.Services.AddSingleton<DocumentStore>();
        builder.Services.AddSingleton<Api.ContentLinks>();
        builder.Services.AddSingleton<SummaryReconciler>();
        var messaging = builder.AddMessaging();
        messaging.AddSubscription(Topics.Images, Subscription)
            .Handle<ImageUploaded, ImageEventHandlers>(ImageUploaded.EventType);
        messaging.AddSubscription(Topics.ImageResults, Subscription)
            .Handle<PreviewsReady, ImageEventHandlers>(PreviewsReady.EventType)
            .Handle<ImageRejected, ImageEventHandlers>(ImageRejected.EventType);
        return builder;
    }
}
