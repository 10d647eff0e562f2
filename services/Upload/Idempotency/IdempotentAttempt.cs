using Dental.Contracts.Api;
using Dental.Upload.Validation;

namespace Dental.Upload.Idempotency;

/// <summary>
/// The Idempotency-Key's part in one upload request, handed to the endpoint by <see cref="IdempotencyFilter"/>:
/// once the request is staged and its fingerprint known, a retry of a finished request gets the first answer
/// instead of committing, and another request under the same key is refused.
/// </summary>
public sealed class IdempotentAttempt(IdempotencyRecord? finished)
{
    public string? Fingerprint { get; private set; }

    /// <summary>What the endpoint answered; the filter keeps it for retries when it succeeded.</summary>
    public UploadAnswer? Answer { get; set; }

    /// <summary>Called once everything is staged: an answer to give instead of committing, or null to commit.</summary>
    public UploadAnswer? BeforeCommit(string fingerprint)
    {
        Fingerprint = fingerprint;
        if (finished is null)
        {
            return null;
        }

        return fingerprint == finished.Fingerprint
            ? finished.Replay()
            : UploadAnswer.Refused(new UploadRejection(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused",
                "Idempotency-Key", "This Idempotency-Key was used for a different request; use a new key for a new request."));
    }
}
