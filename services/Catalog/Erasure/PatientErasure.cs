using Dental.Audit;
using Dental.Catalog.Api;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Erasure;

/// <summary>
/// Right to erasure. The Catalog sets the patient's tombstone (the erasure record) and announces PatientErased; each service
/// erases what it owns and reports; the receipt completes once all have. Asking again while it runs announces it again,
/// which finishes an erasure a crash interrupted; asking after it completed answers the final receipt.
/// </summary>
internal static partial class PatientErasure
{
    public static void MapPatientErasure(this RouteGroupBuilder patient)
    {
        patient.MapDelete("/", EraseAsync).RequireAuthorization(Policies.Erase).Audited(AuditActions.PatientErase).WithName("ErasePatient").WithTags(ApiTags.Patients)
            .WithSummary("Erase a patient (right to erasure)")
            .WithDescription("Every service removes what it stores about the patient: originals, previews, documents, records and messages, with every " +
                "copy the storage keeps. 202 with the receipt's link while they work, 200 with the final receipt once done. Idempotent: asking again resumes " +
                "an interrupted erasure. Nothing is stored for the patient id afterwards.")
            .Produces<ErasureReceipt>()
            .Produces<ErasureReceipt>(StatusCodes.Status202Accepted)
            .WithResponseHeader(StatusCodes.Status202Accepted, "Location", "The erasure receipt.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable);
        patient.MapGet("/erasure", ReceiptAsync).RequireAuthorization(Policies.Audit).Audited(AuditActions.ErasureReceipt).WithName("GetErasureReceipt").WithTags(ApiTags.Patients)
            .WithSummary("The patient's erasure receipt")
            .WithDescription("What each service removed and when; `status` is `completed` once every service has finished. 404 when the patient was never erased.")
            .Produces<ErasureReceipt>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> EraseAsync(
        string patientId, HttpContext http, DocumentStore store, IEventPublisher publisher, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var patient = http.User.Patient(patientId);
        var requestedBy = http.User.FindFirst(TokenSubject.ClaimType)!.Value;
        var now = time.GetUtcNow();
        var scope = ErasureScope.Of(patient);
        var record = (await store.UpdateErasureAsync(scope, current => ErasureRecord.Requested(current, scope, requestedBy, now), cancellationToken))!;
        if (record.Completed)
        {
            return Results.Ok(ErasureReceipt.From(record));
        }

        try
        {
            // A new id each time: a repeat must reach every service again, past the broker's duplicate detection.
            await publisher.PublishAsync(Topics.Patients, PatientErased.EventType, Guid.NewGuid().ToString("N"), EventSubjects.Patient(patient.PatientId),
                new PatientErased(patient.ClinicId, patient.PatientId, now), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAnnounceFailed(loggers.CreateLogger(typeof(PatientErasure)), ex.Message.Split('\n')[0]);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable, title: "Erasure not started",
                detail: "The patient can no longer be written to, but the services could not be told to erase yet. Repeat the request shortly.");
        }

        return Results.Accepted($"/api/v1/patients/{patientId}/erasure", ErasureReceipt.From(record));
    }

    private static async Task<IResult> ReceiptAsync(string patientId, HttpContext http, DocumentStore store, CancellationToken cancellationToken) =>
        await store.ReadErasureAsync(ErasureScope.Of(http.User.Patient(patientId)), cancellationToken) is { } record
            ? Results.Ok(ErasureReceipt.From(record))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound, title: "Not found", detail: "This patient was not erased.");

    [LoggerMessage(LogLevel.Warning, "PatientErased could not be published; the erasure must be requested again: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, string reason);
}
