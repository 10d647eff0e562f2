using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Outbox;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>
/// A patient was erased: the Upload service sets its tombstone, then erases what it owns — the patient's originals with
/// their versions and snapshots, its dedupe and idempotency records, outbox entries, and its dead letters about the patient —
/// and reports the counts for the Catalog's receipt. Idempotent: a repeated delivery finds nothing left and reports zeros.
/// </summary>
public sealed partial class PatientErasedHandler(
    PatientTombstones tombstones,
    ImageContainers containers,
    UploadRecords records,
    PatientDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<PatientErasedHandler> logger) : IEventConsumerHandler<PatientErased>
{
    public const string Owner = "upload";

    public async Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var patient = data.Patient;
        await tombstones.MarkAsync(patient, cancellationToken);
        var originals = await containers.Originals.EraseAllUnderAsync(BlobNames.PatientPrefix(patient), cancellationToken);
        var patientRecords = await records.ErasePatientAsync(patient, cancellationToken);
        var outbox = await ForgetOutboxAsync(patient, cancellationToken);
        var letters = await deadLetters.PurgeAsync(patient, cancellationToken);
        var removed = new Dictionary<string, int>
        {
            ["originals"] = originals.Blobs,
            ["originalCopies"] = originals.Copies,
            ["uploadRecords"] = patientRecords.Blobs + patientRecords.Copies + outbox,
            ["deadLetters"] = letters,
        };
        await publisher.PublishAsync(Topics.Patients, PatientErasureReported.EventType, $"{envelope.Id}:{Owner}", EventSubjects.Patient(patient.PatientId),
            new PatientErasureReported(patient.ClinicId, patient.PatientId, Owner, removed, time.GetUtcNow()), cancellationToken);
        LogErased(logger, originals.Blobs, originals.Copies, patientRecords.Blobs + outbox, letters);
    }

    /// <summary>Outbox entries are named by image: the few pending ones are read to find the patient's.</summary>
    private async Task<int> ForgetOutboxAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        await foreach (var (name, _) in records.OutboxAsync(cancellationToken))
        {
            if (await records.ReadAsync<OutboxEntry>(name, cancellationToken) is { } entry && entry.Value.Event.Patient == patient)
            {
                await records.DeleteAsync(name, cancellationToken);
                forgotten++;
            }
        }

        return forgotten;
    }

    // Counts only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Originals} originals ({Copies} earlier versions or snapshots), {Records} upload records, {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, int originals, int copies, int records, int deadLetters);
}
