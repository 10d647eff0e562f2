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
