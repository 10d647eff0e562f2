namespace Dental.Contracts.Imaging;

/// <summary>
/// The technical attributes of a DICOM original the platform keeps: an allow-list of what says how the image was made,
/// never who it shows (no patient name, id, birth date, institution, operator or free text of the file leave the decoder).
/// </summary>
public sealed record DicomFacts
{
    /// <summary>(0008,0060), for example IO (intraoral), PX (panoramic), DX.</summary>
    public string? Modality { get; init; }

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public required int BitsAllocated { get; init; }

    public required int BitsStored { get; init; }

    /// <summary>(0028,0004), for example MONOCHROME2.</summary>
    public required string PhotometricInterpretation { get; init; }

    /// <summary>Millimetres between pixel centres, row then column: Pixel Spacing (0028,0030), else Imager Pixel Spacing (0018,1164).</summary>
    public IReadOnlyList<double>? PixelSpacing { get; init; }

    /// <summary>(0008,0022).</summary>
    public DateOnly? AcquisitionDate { get; init; }

    /// <summary>(0008,0070).</summary>
    public string? Manufacturer { get; init; }

    /// <summary>(0008,1090).</summary>
    public string? ManufacturerModelName { get; init; }

    /// <summary>The transfer syntax's UID, for example 1.2.840.10008.1.2.4.70 (JPEG lossless).</summary>
    public required string TransferSyntax { get; init; }

    /// <summary>Number of Frames (0028,0008); 1 for a single-frame image.</summary>
    public required int Frames { get; init; }

    /// <summary>The frame the previews show, from 1: the middle one of a multi-frame file.</summary>
    public required int PreviewFrame { get; init; }
}
