using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults.Auth;

namespace Dental.Catalog.Api;

public sealed record ErasureReport(string PatientId, int Originals, int Previews, int Documents);

/// <summary>
/// Right to erasure: every original, preview and document of one patient, then PatientErased so the
/// services that keep their own records about the patient (Upload's dedupe and idempotency records)
/// erase them. Blobs go first, so an event still in flight finds no blob and is dropped instead of
/// re-creating a document. Idempotent: erasing again reports zeros and announces the erasure again.
/// </summary>
internal static partial class PatientErasure
{
    public static async Task<IResult> EraseAsync(
        string patientId, HttpContext http, DocumentStore store, ImageContainers containers, IEventPublisher publisher, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var patient = http.User.Patient(patientId);
        var prefix = BlobNames.PatientPrefix(patient);
        var originals = await containers.Originals.DeleteAllUnderAsync(prefix, cancellationToken);
        var previews = await containers.Previews.DeleteAllUnderAsync(prefix, cancellationToken);
        var documents = await store.DeletePatientAsync(patient, cancellationToken) + (await store.ForgetActivityAsync(patient, cancellationToken) ? 1 : 0);
        var logger = loggers.CreateLogger(typeof(PatientErasure));
        LogErased(logger, originals, previews, documents);
        try
        {
            var erased = new PatientErased(patient.ClinicId, patient.PatientId, time.GetUtcNow());
            await publisher.PublishAsync(Topics.Patients, PatientErased.EventType, Guid.NewGuid().ToString("N"), $"clinics/{patient.ClinicId}/patients/{patient.PatientId}", erased, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAnnounceFailed(logger, ex.Message.Split('\n')[0]);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable, title: "Erasure not finished",
                detail: "The patient's images and documents are erased, but other services could not be told yet. Repeat the request shortly.");
        }

        return Results.Ok(new ErasureReport(patientId, originals, previews, documents));
    }

    // Counts only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Originals} originals, {Previews} previews, {Documents} documents")]
    private static partial void LogErased(ILogger logger, int originals, int previews, int documents);

    [LoggerMessage(LogLevel.Warning, "PatientErased could not be published; the erasure must be repeated: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, string reason);
}
