using Dental.Audit;
using Dental.Clinics;
using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.OpenApi;
using Dental.Upload.Duplicates;
using Dental.Upload.Idempotency;
using Dental.Upload.Outbox;
using Dental.Upload.Resumable;
using Dental.Upload.Storage;
using Dental.Upload.Store;

namespace Dental.Upload;

public static class UploadServiceExtensions
{
    public const string Subscription = "upload";

    public static IHostApplicationBuilder AddUploadServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<UploadOptions>(UploadOptions.Section);
        builder.Services.AddContractOpenApi();
        builder.AddBlobStorage();
        builder.AddClinicRegistry();
        builder.AddAuditTrail();
        builder.AddUploadRecords();
        builder.Services.AddSingleton(sp => new ErasureTombstones(sp.GetRequiredService<UploadRecords>().Container, UploadRecords.TombstonePrefix, sp.GetRequiredService<TimeProvider>()));
        builder.AddMessaging()
            .AddSubscription(Topics.Patients, Subscription)
            .Handle<PatientErased, ErasureHandler>(PatientErased.EventType)
            .Handle<ClinicErased, ErasureHandler>(ClinicErased.EventType)
            .Handle<ImagePurged, ImagePurgedHandler>(ImagePurged.EventType)
            .Handle<ImageCorrection, CorrectionHandler>(ImageCorrection.Requested);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OriginalStager>();
        builder.Services.AddSingleton<OriginalCommitter>();
        builder.Services.AddSingleton<DuplicateMarkers>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<UploadEvents>();
        builder.Services.AddSingleton<UploadProcessor>();
        builder.Services.AddHttpClient<CatalogImages>((sp, http) =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<UploadOptions>>().Value;
            http.BaseAddress = options.CatalogAddress;
            http.Timeout = options.CatalogTimeout;
        });
        builder.Services.AddSingleton<ResumableUploads>();
        builder.Services.AddSingleton<ResumableChunkWriter>();
        builder.Services.AddSingleton<ResumableReceiver>();
        builder.Services.AddHostedService<ResumableUploadSweeper>();
        builder.Services.AddSingleton<SweeperLease>();
        builder.Services.AddSingleton<OutboxSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxSweeper>());
        return builder;
    }
}
