using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>
/// A patient was erased: the Thumbnailer sets its tombstone, then erases the patient's previews (every size, with their
/// versions and snapshots) and its dead letters about the patient, and reports the counts for the Catalog's receipt.
/// A render that was running meanwhile finds the tombstone after writing and removes what it wrote.
/// </summary>
public sealed partial class PatientErasedHandler(
    PatientTombstones tombstones,
    ImageContainers containers,
    PatientDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<PatientErasedHandler> logger) : IEventConsumerHandler<PatientErased>
{
    public const string Owner = "thumbnailer";

    /// <summary>Where the Thumbnailer keeps its tombstones in the previews container ('_' starts no clinic id).</summary>
    public const string TombstonePrefix = "_erased/";

    public async Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var patient = data.Patient;
        await tombstones.MarkAsync(patient, cancellationToken);
        var previews = await containers.Previews.EraseAllUnderAsync(BlobNames.PatientPrefix(patient), cancellationToken);
        var letters = await deadLetters.PurgeAsync(patient, cancellationToken);
        var removed = new Dictionary<string, int> { ["previews"] = previews.Blobs, ["previewCopies"] = previews.Copies, ["deadLetters"] = letters };
        await publisher.PublishAsync(Topics.Patients, PatientErasureReported.EventType, $"{envelope.Id}:{Owner}", EventSubjects.Patient(patient.PatientId),
            new PatientErasureReported(patient.ClinicId, patient.PatientId, Owner, removed, time.GetUtcNow()), cancellationToken);
        LogErased(logger, previews.Blobs, previews.Copies, letters);
    }

    // Counts only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Previews} previews ({Copies} earlier versions or snapshots), {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, int previews, int copies, int deadLetters);
}
