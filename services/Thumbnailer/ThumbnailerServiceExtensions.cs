using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Dental.Thumbnailer.Rendering;

namespace Dental.Thumbnailer;

public static class ThumbnailerServiceExtensions
{
    public const string Subscription = "thumbnailer";

    public static IHostApplicationBuilder AddThumbnailerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ThumbnailerOptions>(ThumbnailerOptions.Section);
        builder.AddBlobStorage();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HeifDecoder>();
        builder.Services.AddSingleton<DicomDecoder>();
        builder.Services.AddSingleton<PreviewRenderer>();
        builder.Services.AddSingleton<OriginalDownloader>();
        builder.Services.AddSingleton<RenderSlots>();
        builder.Services.AddSingleton(sp => new ErasureTombstones(sp.GetRequiredService<ImageContainers>().Previews, ErasureHandler.TombstonePrefix, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<VipsLog>();
        builder.Services.AddHealthChecks().AddReadinessProbe("libvips", (_, _) =>
        {
            VipsRuntime.EnsureInitialized();
            return Task.CompletedTask;
        });
        var messaging = builder.AddMessaging();
        messaging.AddSubscription(Topics.Images, Subscription)
            .Handle<ImageUploaded, ImageUploadedHandler>(ImageUploaded.EventType);
        messaging.AddSubscription(Topics.Renditions, Subscription)
            .Handle<LargePreviewRequested, LargePreviewHandler>(LargePreviewRequested.EventType);
        messaging.AddSubscription(Topics.Patients, Subscription)
            .Handle<PatientErased, ErasureHandler>(PatientErased.EventType)
            .Handle<ClinicErased, ErasureHandler>(ClinicErased.EventType)
            .Handle<ImagePurged, ImagePurgedHandler>(ImagePurged.EventType)
            .Handle<ImageCorrection, CorrectionHandler>(ImageCorrection.OriginalMoved)
            .Handle<LargePreviewOrphaned, LargePreviewOrphanedHandler>(LargePreviewOrphaned.EventType);
        return builder;
    }
}
