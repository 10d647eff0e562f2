using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Dental.Contracts.Events;

namespace Dental.Contracts.Api;

/// <summary>An image's metadata as the public API shows it (API.md). Every property but <see cref="Duplicate"/> is always sent (null when unknown).</summary>
public sealed record ImageResource
{
    public required Guid Id { get; init; }
    public required string PatientId { get; init; }
    /// <summary>The tooth in FDI (ISO 3950) two-digit form, or a region: the same whatever notation the client used.</summary>
    public required string Tooth { get; init; }

    /// <summary>The tooth as the user entered it, in <see cref="Notation"/> (Universal 8 is FDI 11).</summary>
    public required string EnteredTooth { get; init; }

    /// <summary>The notation of <see cref="EnteredTooth"/>; <see cref="Tooth"/> is always FDI.</summary>
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

    /// <summary>The clinic's labels, lower-case; <c>?tag=</c> filters on them.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The clinic's own key/value facts; null for roles that may not read free text (auditors).</summary>
    public required IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Who changed the record and when, oldest first.</summary>
    public required IReadOnlyList<ImageChange> History { get; init; }

    /// <summary>For a variant: the original it belongs to, its kind and producer; null for an original.</summary>
    public required VariantFacts? Variant { get; init; }

    /// <summary>An original's variants, oldest first (empty for a variant, and in upload answers).</summary>
    public required IReadOnlyList<VariantSummary> Variants { get; init; }

    /// <summary>Set on upload answers: the same bytes were already stored for this patient.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Duplicate { get; init; }

    /// <summary>The one mapping from what an upload recorded to what the API shows; services add what they know besides.</summary>
    public static ImageResource From(ImageUploaded image, ImageText text) => new()
    {
        Id = image.ImageId,
        PatientId = image.PatientId,
        Tooth = image.Tooth,
        EnteredTooth = Contracts.Tooth.InNotation(image.Tooth, image.Notation),
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
        Tags = [],
        Metadata = new Dictionary<string, string>(),
        History = [],
        Variant = image.Variant,
        Variants = [],
        Status = null,
        FailureReason = null,
        Previews = null,
    };
}

/// <summary>One change of an image's record. Free text (the note, metadata values) is not repeated here: From and To are null for it.</summary>
public sealed record ImageChange(DateTimeOffset At, string By, string Field, string? From, string? To);

/// <summary>One variant as its original lists it: enough to show it beside or over the original.</summary>
public sealed record VariantSummary(Guid Id, string Kind, string Producer, string? Status, IReadOnlyDictionary<string, PreviewResource>? Previews);

public sealed record PreviewResource(int Width, int Height, long SizeBytes);

public static class ImageStatus
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public const string Deleted = "deleted";
}
