using Dental.Contracts.Api;
using Dental.Upload.Validation;

namespace Dental.Upload;

public sealed record UploadResponse(IReadOnlyList<ImageResource> Items);

/// <summary>The outcome of one upload request: what to answer, and whether it may be replayed for its Idempotency-Key.</summary>
public sealed record UploadAnswer(int Status, UploadResponse? Body, string? Location, UploadRejection? Rejection = null, bool Replayed = false)
{
    public bool Succeeded => Body is not null;

    public static UploadAnswer Refused(UploadRejection rejection) => new(rejection.Status, null, null, rejection);
}
