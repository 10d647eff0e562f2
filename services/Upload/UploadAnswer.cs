using Dental.Contracts.Api;

namespace Dental.Upload;

public sealed record UploadResponse(IReadOnlyList<ImageResource> Items);

/// <summary>The outcome of one upload request: what to answer, and whether it may be replayed for its Idempotency-Key.</summary>
public sealed record UploadAnswer(int Status, UploadResponse? Body, string? Location, Validation.UploadRejection? Rejection = null, bool Unavailable = false, bool Replayed = false)
{
    public bool Succeeded => Body is not null;
}
