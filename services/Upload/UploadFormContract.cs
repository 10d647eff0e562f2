using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Dental.Contracts;

namespace Dental.Upload;

/// <summary>
/// The multipart form of an upload as the OpenAPI document describes it. The endpoint streams the body itself
/// (fields first, then the files), so this type only documents the contract; the rules are in <see cref="Validation.UploadFields"/>.
/// </summary>
public sealed record UploadFormContract
{
    [Required]
    [Description("FDI tooth (11–18, 21–28, 31–38, 41–48, primary 51–85), a Universal number 1–32 or letter A–T with notation=universal, or a region: full, upper, lower, q1–q4.")]
    public required string Tooth { get; init; }

    [Required]
    [AllowedValues(ImageType.Before, ImageType.After, ImageType.Xray, ImageType.Clinical, ImageType.Other)]
    public required string Type { get; init; }

    [AllowedValues(ToothNotation.Fdi, ToothNotation.Universal)]
    [Description("How tooth is numbered; fdi when absent.")]
    public string? Notation { get; init; }

    [Description("When the image was taken (ISO 8601 with offset); lists sort by it.")]
    public DateTimeOffset? TakenAt { get; init; }

    [MaxLength(2000)]
    [Description("A clinician's note: at most 2000 characters and 4096 bytes in UTF-8 (it is kept with the original).")]
    public string? Note { get; init; }

    [Required]
    [Description("One or more JPEG, PNG, TIFF, WebP, HEIC, AVIF or DICOM files, after the fields.")]
    public required IFormFileCollection File { get; init; }
}

/// <summary>The multipart form of a variant upload as the OpenAPI document describes it (rules in <see cref="Validation.UploadFields.ParseVariant"/>).</summary>
public sealed record VariantFormContract
{
    [Required]
    [AllowedValues(VariantKind.Annotated, VariantKind.Heatmap, VariantKind.Segmentation, VariantKind.Other)]
    public required string Kind { get; init; }

    [Description("Integrations (service role) only, and required for them: the model that produced the variant (1–64 letters, digits, . - _).")]
    public string? Model { get; init; }

    [Description("Integrations only, and required for them: the model's version.")]
    public string? ModelVersion { get; init; }

    [Description("When the variant was made (ISO 8601 with offset).")]
    public DateTimeOffset? TakenAt { get; init; }

    [MaxLength(2000)]
    [Description("A note, as for uploads.")]
    public string? Note { get; init; }

    [Required]
    [Description("One or more image files, after the fields.")]
    public required IFormFileCollection File { get; init; }
}
