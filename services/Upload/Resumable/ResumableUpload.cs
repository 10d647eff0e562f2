namespace Dental.Upload.Resumable;

/// <summary>
/// A resumable (tus) upload as stored between its requests, so any replica, or the same one after a restart, carries on.
/// The bytes themselves are uncommitted blocks of the original's blob; this record lists them in order.
/// </summary>
public sealed record ResumableUpload
{
    public required Guid UploadId { get; init; }

    public required string ClinicId { get; init; }

    public required string PatientId { get; init; }

    /// <summary>The token subject that created it: only that caller may continue it.</summary>
    public required string Uploader { get; init; }

    /// <summary>The announced size (Upload-Length).</summary>
    public required long Length { get; init; }

    /// <summary>The upload's metadata as form fields (tooth, type, notation, takenAt, note), validated at creation.</summary>
    public required Dictionary<string, string> Fields { get; init; }

    public string? FileName { get; init; }

    /// <summary>Bytes received and kept.</summary>
    public long Offset { get; init; }

    /// <summary>The bytes received before the header check could decide (only while it cannot), not yet staged.</summary>
    public byte[]? Head { get; init; }

    /// <summary>Set once the header check passed: the image the upload becomes and what its header says.</summary>
    public ResumableImage? Image { get; init; }

    public List<string> BlockIds { get; init; } = [];

    /// <summary>The SHA-256 of the kept bytes so far, as a resumable state.</summary>
    public byte[]? HashState { get; init; }

    /// <summary>The stored image (a new one, or the one it duplicates) once the last byte was committed.</summary>
    public Guid? StoredImageId { get; init; }

    public bool Duplicate { get; init; }

    public bool Completed => StoredImageId is not null;
}

/// <summary>What the header check found, and the blob the upload's blocks are staged on.</summary>
public sealed record ResumableImage(Guid ImageId, string BlobName, string Format, int Width, int Height);
