using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Dental.Contracts.Events;

namespace Dental.Contracts.Api;

/// <summary>An image's metadata as the public API shows it (API.md). Every property but <see cref="Duplicate"/> is always sent (null when unknown).</summary>
public sealed record ImageResource
{
    public required Guid Id { get; init; }
    public required string PatientId { get; init; }
    public required string Tooth { get; init; }

    [AllowedValues(ToothNotation.Fdi, ToothNotation.Universal)]
    public required string Notation { get; init; }

    [AllowedValues(ImageType.Before, ImageType.After, ImageType.Xray, ImageType.Clinical, ImageType.Other)]
    public required string Type { get; init; }

    [AllowedValues(ImageStatus.Processing, ImageStatus.Ready, ImageStatus.Failed, ImageStatus.Deleted, null)]
    public required string? Status { get; init; }

    public required string? FailureReason { get; init; }
    public required string ContentType { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required string? OriginalFileName { get; init; }
    public required string BlobPath { get; init; }
    public required IReadOnlyDictionary<string, PreviewResource>? Previews { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
    public required string UploadedBy { get; init; }
    public required DateTimeOffset? TakenAt { get; init; }
    public required string? Note { get; init; }

    /// <summary>A DICOM original's technical attributes (an allow-list: nothing that identifies the patient); null for other formats or until ready.</summary>
    public Imaging.DicomFacts? Dicom { get; init; }

    /// <summary>Set on upload answers: the same bytes were already stored for this patient.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Duplicate { get; init; }

    /// <summary>The one mapping from what an upload recorded to what the API shows; services add what they know besides.</summary>
    public static ImageResource From(ImageUploaded image, ImageText text) => new()
    {
        Id = image.ImageId,
        PatientId = image.PatientId,
        Tooth = image.Tooth,
        Notation = image.Notation,
        Type = image.Type,
        ContentType = image.ContentType,
        SizeBytes = image.SizeBytes,
        Sha256 = image.Sha256,
        Width = image.Width,
        Height = image.Height,
        OriginalFileName = text.OriginalFileName,
        BlobPath = BlobNames.PublicPath(BlobNames.OriginalsContainer, image.BlobName),
        UploadedAt = image.UploadedAt,
        UploadedBy = image.UploadedBy,
        TakenAt = image.TakenAt,
        Note = text.Note,
        Status = null,
        FailureReason = null,
        Previews = null,
    };
}

public sealed record PreviewResource(int Width, int Height, long SizeBytes);

public static class ImageStatus
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public const string Deleted = "deleted";
}
