using Azure.Messaging;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>A patient was erased: their dedupe markers and idempotency records go too. Idempotent.</summary>
public sealed partial class PatientErasedHandler(UploadRecords records, ILogger<PatientErasedHandler> logger) : IEventConsumerHandler<PatientErased>
{
    public async Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var deleted = await records.ErasePatientAsync(data.Patient, cancellationToken);
        LogErased(logger, deleted);
    }

    // A count only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Records} upload records deleted")]
    private static partial void LogErased(ILogger logger, int records);
}
