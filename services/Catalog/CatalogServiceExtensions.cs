using Dental.Audit;
using Dental.Clinics;
using Dental.AzureClients;
using Dental.Catalog.Corrections;
using Dental.Catalog.Erasure;
using Dental.Catalog.Handlers;
using Dental.Catalog.Retention;
using Dental.Catalog.Store;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog;

public static class CatalogServiceExtensions
{
    public const string Subscription = "catalog";

    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CatalogOptions>(CatalogOptions.Section);
        builder.Services.AddContractOpenApi();
        builder.AddBlobStorage();
        builder.AddClinicRegistry();
        builder.AddAuditReader();
        builder.AddCosmos();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new DocumentSizeGuard(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CatalogOptions>>().Value.DocumentBudgetBytes));
        builder.Services.AddSingleton<DocumentStore>();
        builder.Services.AddSingleton<Api.ContentLinks>();
        builder.Services.AddSingleton<ErasedPatients>();
        builder.Services.AddSingleton<DeletedImagePurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeletedImagePurge>());
        builder.Services.AddSingleton<ImageCorrections>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ImageCorrections>());
        var messaging = builder.AddMessaging();
        messaging.AddSubscription(Topics.Images, Subscription)
            .Handle<ImageUploaded, ImageEventHandlers>(ImageUploaded.EventType);
        messaging.AddSubscription(Topics.ImageResults, Subscription)
            .Handle<PreviewsReady, ImageEventHandlers>(PreviewsReady.EventType)
            .Handle<LargePreviewReady, ImageEventHandlers>(LargePreviewReady.EventType)
            .Handle<ImageRejected, ImageEventHandlers>(ImageRejected.EventType);
        messaging.AddSubscription(Topics.Patients, Subscription)
            .Handle<PatientErased, ErasureHandlers>(PatientErased.EventType)
            .Handle<ClinicErased, ErasureHandlers>(ClinicErased.EventType)
            .Handle<ErasureReported, ErasureHandlers>(ErasureReported.EventType)
            .Handle<ImageCorrection, ImageEventHandlers>(ImageCorrection.PreviewsMoved);
        return builder;
    }
}
