using Azure.Messaging;
using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Catalog.Erasure;

/// <summary>
/// The Catalog's part of an erasure (every document in scope, the recent-patient entries, its dead letters in scope) and the
/// receipt: each owner's report is added to the erasure record, which the request (or the operator's offboarding) wrote first.
/// </summary>
public sealed partial class ErasureHandlers(DocumentStore store, ErasedPatients erased, ErasureDeadLetters deadLetters, TimeProvider time, ILogger<ErasureHandlers> logger)
    : IEventConsumerHandler<PatientErased>, IEventConsumerHandler<ClinicErased>, IEventConsumerHandler<ErasureReported>
{
    public const string Owner = "catalog";

    public async Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        // The erasure record (this service's tombstone) was written before the event: once every replica's cached "not erased"
        // answer about the patient has expired, what they still wrote is found below.
        erased.Remember(ErasureScope.Of(data.Patient));
        await Task.Delay(TombstoneCache.Recheck, time, cancellationToken);
        var documents = await store.DeletePatientAsync(data.Patient, cancellationToken) + (await store.ForgetActivityAsync(data.Patient, cancellationToken) ? 1 : 0);
        await ReportAsync(ErasureScope.Of(data.Patient), documents, envelope, cancellationToken);
    }

    public async Task HandleAsync(ClinicErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var scope = ErasureScope.Clinic(data.ClinicId);
        erased.Remember(scope);
        // Every replica's "not offboarded" answer about the clinic has expired by then: what they still wrote is found below.
        await Task.Delay(TombstoneCache.Recheck, time, cancellationToken);
        await ReportAsync(scope, await store.DeleteClinicAsync(data.ClinicId, cancellationToken), envelope, cancellationToken);
    }

    public Task HandleAsync(ErasureReported data, CloudEvent envelope, CancellationToken cancellationToken) =>
        RecordAsync(envelope.Id, data, cancellationToken);

    private async Task ReportAsync(ErasureScope scope, int documents, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var letters = await deadLetters.PurgeAsync(scope, cancellationToken);
        LogErased(logger, scope.PatientId is null ? "clinic" : "patient", documents, letters);
        var report = new ErasureReported(scope.ClinicId, scope.PatientId, Owner, new Dictionary<string, int> { ["documents"] = documents, ["deadLetters"] = letters }, time.GetUtcNow());
        await RecordAsync($"{envelope.Id}:{Owner}", report, cancellationToken);
    }

    private async Task RecordAsync(string reportId, ErasureReported report, CancellationToken cancellationToken)
    {
        var record = await store.UpdateErasureAsync(report.Scope, current => current?.WithReport(reportId, report), cancellationToken)
            // The Catalog (a patient's) or the operator's tool (a clinic's) writes the record before announcing the erasure.
            ?? throw new PermanentEventFailureException("erasure-unknown: a report about an erasure that was never requested");
        if (record.Completed)
        {
            LogCompleted(logger, record.Reports.Count);
        }
    }

    // Counts only: patient and clinic ids are not logged.
    [LoggerMessage(LogLevel.Information, "Erased ({Scope}): {Documents} documents, {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, string scope, int documents, int deadLetters);

    [LoggerMessage(LogLevel.Information, "Erasure receipt complete: {Owners} services reported")]
    private static partial void LogCompleted(ILogger logger, int owners);
}
