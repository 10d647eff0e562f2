using Azure.Messaging;
using Dental.Catalog.Store;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Catalog.Erasure;

/// <summary>
/// The Catalog's part of an erasure (every document of the patient, its place among the clinic's recent patients, its dead
/// letters about the patient) and the receipt: each owner's report is added to the erasure record.
/// </summary>
public sealed partial class ErasureHandlers(DocumentStore store, PatientDeadLetters deadLetters, TimeProvider time, ILogger<ErasureHandlers> logger)
    : IEventConsumerHandler<PatientErased>, IEventConsumerHandler<PatientErasureReported>
{
    public const string Owner = "catalog";

    public async Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var patient = data.Patient;
        var documents = await store.DeletePatientAsync(patient, cancellationToken) + (await store.ForgetActivityAsync(patient, cancellationToken) ? 1 : 0);
        var letters = await deadLetters.PurgeAsync(patient, cancellationToken);
        LogErased(logger, documents, letters);
        var report = new PatientErasureReported(patient.ClinicId, patient.PatientId, Owner, new Dictionary<string, int> { ["documents"] = documents, ["deadLetters"] = letters }, time.GetUtcNow());
        await RecordAsync($"{envelope.Id}:{Owner}", report, cancellationToken);
    }

    public Task HandleAsync(PatientErasureReported data, CloudEvent envelope, CancellationToken cancellationToken) =>
        RecordAsync(envelope.Id, data, cancellationToken);

    private async Task RecordAsync(string reportId, PatientErasureReported report, CancellationToken cancellationToken)
    {
        var record = await store.UpdateErasureAsync(report.Patient, current => current?.WithReport(reportId, report), cancellationToken)
            // Only the Catalog starts erasures, and it writes the record before announcing one.
            ?? throw new PermanentEventFailureException("erasure-unknown: a report about an erasure that was never requested");
        if (record.Completed)
        {
            LogCompleted(logger, record.Reports.Count);
        }
    }

    // Counts only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Documents} documents, {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, int documents, int deadLetters);

    [LoggerMessage(LogLevel.Information, "Erasure receipt complete: {Owners} services reported")]
    private static partial void LogCompleted(ILogger logger, int owners);
}
