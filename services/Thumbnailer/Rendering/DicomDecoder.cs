using System.Globalization;
using System.Runtime.InteropServices;
using Dental.Contracts.Events;
using Dental.Contracts.Imaging;
using NetVips;

namespace Dental.Thumbnailer.Rendering;

/// <summary>A DICOM frame made ready to show (8-bit grey or sRGB, fitting the largest preview) and the file's allow-listed facts.</summary>
public sealed record DecodedDicom(Image Display, DicomFacts Facts);

/// <summary>
/// DICOM X-rays decoded by GDCM (every transfer syntax it reads: implicit/explicit little and big endian, JPEG baseline
/// and lossless, JPEG-LS, JPEG 2000, RLE) and made viewable: the modality rescale, then the file's window (centre/width),
/// else its VOI LUT, else a robust minimum/maximum (0.5th to 99.5th percentile); MONOCHROME1 inverted; YBR turned to
/// RGB. A multi-frame file shows its middle frame. Only the allow-listed technical attributes of
/// <see cref="DicomFacts"/> are read out of the file.
/// </summary>
public sealed class DicomDecoder
{
    private const double RobustTail = 0.005;

    static DicomDecoder()
    {
        // GDCM writes its warnings to stderr; every failure that matters reaches the log as the image's rejection reason.
        gdcm.Trace.WarningOff();
        gdcm.Trace.ErrorOff();
        gdcm.Trace.DebugOff();
    }

    public DecodedDicom Decode(byte[] original, int maxEdge)
    {
        if (DicomHeader.IsTruncated(original))
        {
            // GDCM reads a file cut inside its uncompressed pixel data without complaint and fills the rest with zeros.
            throw new ImageRejectedException(RejectionReason.Corrupt, "the file ends inside a DICOM element (truncated)");
        }

        // GDCM's .NET binding reads files only.
        var path = Path.Combine(Path.GetTempPath(), $"dental-dicom-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, original);
        try
        {
            using var reader = new gdcm.ImageReader();
            reader.SetFileName(path);
            if (!reader.Read())
            {
                throw new ImageRejectedException(RejectionReason.Corrupt, "GDCM could not read the DICOM data set");
            }

            using var image = reader.GetImage();
            using var file = reader.GetFile();
            using var attributes = new gdcm.StringFilter();
            attributes.SetFile(file);
            var facts = Facts(image, file, attributes);
            var frame = Frame(image, facts);
            using var pixels = Pixels(frame, image, facts);
            var scale = Math.Min(1.0, (double)maxEdge / Math.Max(pixels.Width, pixels.Height));
            using var small = scale < 1 ? pixels.Resize(scale) : pixels.Copy();
            var display = facts.PhotometricInterpretation.StartsWith("MONOCHROME", StringComparison.Ordinal)
                ? Grey(small, file, attributes, facts)
                : Colour(small, facts);
            return new DecodedDicom(display, facts);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static DicomFacts Facts(gdcm.Image image, gdcm.File file, gdcm.StringFilter attributes)
    {
        using var format = image.GetPixelFormat();
        var frames = image.GetNumberOfDimensions() == 3 ? (int)image.GetDimension(2) : 1;
        return new DicomFacts
        {
            Modality = Text(attributes, 0x0008, 0x0060),
            Rows = (int)image.GetDimension(1),
            Columns = (int)image.GetDimension(0),
            BitsAllocated = format.GetBitsAllocated(),
            BitsStored = format.GetBitsStored(),
            PhotometricInterpretation = image.GetPhotometricInterpretation().GetString()?.Trim('\0', ' ') ?? "",
            PixelSpacing = Spacing(Text(attributes, 0x0028, 0x0030)) ?? Spacing(Text(attributes, 0x0018, 0x1164)),
            AcquisitionDate = DateOnly.TryParseExact(Text(attributes, 0x0008, 0x0022), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            Manufacturer = Text(attributes, 0x0008, 0x0070),
            ManufacturerModelName = Text(attributes, 0x0008, 0x1090),
            TransferSyntax = file.GetHeader().GetDataSetTransferSyntax().GetString()?.Trim('\0', ' ') ?? "",
            Frames = frames,
            PreviewFrame = (frames / 2) + 1,
        };
    }

    /// <summary>The shown frame's bytes: GDCM decodes the whole pixel data, of which one frame is kept.</summary>
    private static byte[] Frame(gdcm.Image image, DicomFacts facts)
    {
        var length = image.GetBufferLength();
        var buffer = new byte[length];
        if (!image.GetBuffer(buffer))
        {
            // Only decodable transfer syntaxes reach here (the header check refuses the others): the data itself is broken.
            throw new ImageRejectedException(RejectionReason.Corrupt, $"the pixel data could not be decoded (transfer syntax {facts.TransferSyntax})");
        }

        var frameLength = (int)(length / (uint)facts.Frames);
        return facts.Frames == 1 ? buffer : buffer.AsSpan((facts.PreviewFrame - 1) * frameLength, frameLength).ToArray();
    }

    private static Image Pixels(byte[] frame, gdcm.Image image, DicomFacts facts)
    {
        using var format = image.GetPixelFormat();
        var samples = format.GetSamplesPerPixel();
        var bandFormat = format.GetScalarType() switch
        {
            gdcm.PixelFormat.ScalarType.UINT8 => Enums.BandFormat.Uchar,
            gdcm.PixelFormat.ScalarType.INT8 => Enums.BandFormat.Char,
            gdcm.PixelFormat.ScalarType.UINT16 => Enums.BandFormat.Ushort,
            gdcm.PixelFormat.ScalarType.INT16 => Enums.BandFormat.Short,
            var other => throw new ImageRejectedException(RejectionReason.Unsupported, $"DICOM pixels of type {other} are not supported"),
        };
        if (samples is not (1 or 3))
        {
            throw new ImageRejectedException(RejectionReason.Unsupported, $"DICOM images with {samples} samples per pixel are not supported");
        }

        if (bandFormat == Enums.BandFormat.Ushort && facts.BitsStored is > 0 and < 16)
        {
            // Bits above Bits Stored may hold overlays or noise; they are not part of the pixel value.
            var mask = (ushort)((1 << facts.BitsStored) - 1);
            foreach (ref var value in MemoryMarshal.Cast<byte, ushort>(frame.AsSpan()))
            {
                value &= mask;
            }
        }

        if (samples == 3 && image.GetPlanarConfiguration() == 1)
        {
            // Colour by plane (RRR…GGG…BBB…): three one-band images joined.
            var plane = frame.Length / 3;
            using var r = Image.NewFromMemory(frame[..plane], facts.Columns, facts.Rows, 1, bandFormat);
            using var g = Image.NewFromMemory(frame[plane..(2 * plane)], facts.Columns, facts.Rows, 1, bandFormat);
            using var b = Image.NewFromMemory(frame[(2 * plane)..], facts.Columns, facts.Rows, 1, bandFormat);
            return r.Bandjoin(g, b).CopyMemory();
        }

        return Image.NewFromMemory(frame, facts.Columns, facts.Rows, samples, bandFormat);
    }

    /// <summary>Stored values → modality values (rescale) → display 0..255 through the file's VOI, inverted for MONOCHROME1.</summary>
    private static Image Grey(Image small, gdcm.File file, gdcm.StringFilter attributes, DicomFacts facts)
    {
        using var asFloat = small.Cast(Enums.BandFormat.Float);
        var values = asFloat.WriteToMemory<float>();
        // Read from the attributes themselves: GDCM applies Rescale Slope/Intercept only for some storage classes.
        var (slope, intercept) = (First(Text(attributes, 0x0028, 0x1053)) ?? 1, First(Text(attributes, 0x0028, 0x1052)) ?? 0);
        var window = Window(attributes);
        var lut = window is null ? VoiLut(file) : null;
        var range = window is null && lut is null ? Rescaled(RobustRange(values), slope, intercept) : default;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((values[i] * slope) + intercept);
        }

        var display = window is { } given ? ApplyWindow(values, given.Centre, given.Width)
            : lut is not null ? lut.Apply(values)
            : ApplyRange(values, range);
        if (facts.PhotometricInterpretation == "MONOCHROME1")
        {
            for (var i = 0; i < display.Length; i++)
            {
                display[i] = (byte)(255 - display[i]);
            }
        }

        using var grey = Image.NewFromMemory(display, small.Width, small.Height, 1, Enums.BandFormat.Uchar);
        return grey.Copy(interpretation: Enums.Interpretation.Bw).CopyMemory();
    }

    private static Image Colour(Image small, DicomFacts facts)
    {
        using var eightBit = small.Format == Enums.BandFormat.Uchar ? small.Copy()
            : small.Linear([255.0 / ((1 << Math.Clamp(facts.BitsStored, 8, 16)) - 1)], [0.0]).Cast(Enums.BandFormat.Uchar);
        if (!facts.PhotometricInterpretation.StartsWith("YBR_FULL", StringComparison.Ordinal))
        {
            return facts.PhotometricInterpretation is "RGB" or "YBR_RCT" or "YBR_ICT"
                ? eightBit.Copy(interpretation: Enums.Interpretation.Srgb).CopyMemory()
                : throw new ImageRejectedException(RejectionReason.Unsupported, $"DICOM photometric interpretation {facts.PhotometricInterpretation} is not supported");
        }

        // JPEG baseline DICOM comes back from GDCM as full-range YCbCr (ITU-R BT.601).
        using var centred = eightBit.Linear([1, 1, 1], [0, -128, -128]);
        using var matrix = Image.NewFromArray(new[,] { { 1, 0, 1.402 }, { 1, -0.344136, -0.714136 }, { 1, 1.772, 0 } });
        using var rgb = centred.Recomb(matrix);
        using var clipped = rgb.Cast(Enums.BandFormat.Uchar);
        return clipped.Copy(interpretation: Enums.Interpretation.Srgb).CopyMemory();
    }

    private static (double Centre, double Width)? Window(gdcm.StringFilter attributes) =>
        First(Text(attributes, 0x0028, 0x1050)) is { } centre && First(Text(attributes, 0x0028, 0x1051)) is { } width && width >= 1 ? (centre, width) : null;

    /// <summary>The linear VOI function of PS3.3 C.11.2.1.2.1.</summary>
    private static byte[] ApplyWindow(float[] values, double centre, double width)
    {
        var display = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var y = (((values[i] - (centre - 0.5)) / (width - 1)) + 0.5) * 255;
            display[i] = (byte)Math.Clamp(Math.Round(y), 0, 255);
        }

        return display;
    }

    private static byte[] ApplyRange(float[] values, (double Low, double High) range) =>
        ApplyWindow(values, (range.Low + range.High + 1) / 2, Math.Max(range.High - range.Low + 1, 2));

    /// <summary>
    /// The 0.5th and 99.5th percentiles of the stored values (integers of at most 16 bits, before the rescale), so a few hot or
    /// dead pixels (or a burnt-in marker) do not flatten the picture; counted in a histogram: sorting the two million values of
    /// a 1600-px frame cost more than the rest of the decode.
    /// </summary>
    private static (int Low, int High) RobustRange(float[] stored)
    {
        const int Offset = 32768;
        var counts = new int[Offset + 65536];
        foreach (var value in stored)
        {
            counts[(int)value + Offset]++;
        }

        var tail = (int)(stored.Length * RobustTail);
        return (ValueOfRank(counts, tail) - Offset, ValueOfRank(counts, stored.Length - 1 - tail) - Offset);
    }

    private static int ValueOfRank(int[] counts, int rank)
    {
        var seen = 0;
        var value = 0;
        while ((seen += counts[value]) <= rank)
        {
            value++;
        }

        return value;
    }

    /// <summary>The stored range through the rescale, which is monotonic: a negative slope swaps its ends.</summary>
    private static (double Low, double High) Rescaled((int Low, int High) stored, double slope, double intercept)
    {
        var (low, high) = ((float)((stored.Low * slope) + intercept), (float)((stored.High * slope) + intercept));
        return slope >= 0 ? (low, high) : (high, low);
    }

    private static DicomVoiLut? VoiLut(gdcm.File file)
    {
        using var dataSet = file.GetDataSet();
        using var tag = new gdcm.Tag(0x0028, 0x3010);
        if (!dataSet.FindDataElement(tag))
        {
            return null;
        }

        using var element = dataSet.GetDataElement(tag);
        using var sequence = element.GetValueAsSQ();
        if (sequence is null || sequence.GetNumberOfItems() == 0)
        {
            return null;
        }

        using var item = sequence.GetItem(1);
        using var nested = item.GetNestedDataSet();
        return DicomVoiLut.From(Bytes(nested, 0x0028, 0x3002), Bytes(nested, 0x0028, 0x3006));
    }

    private static byte[]? Bytes(gdcm.DataSet dataSet, ushort group, ushort number)
    {
        using var tag = new gdcm.Tag(group, number);
        if (!dataSet.FindDataElement(tag))
        {
            return null;
        }

        using var element = dataSet.GetDataElement(tag);
        using var value = element.GetByteValue();
        if (value is null)
        {
            return null;
        }

        var bytes = new byte[value.GetLength().GetValueLength()];
        value.GetBuffer(bytes, (uint)bytes.Length);
        return bytes;
    }

    /// <summary>A short printable text attribute, bounded: the allow-listed strings are codes and names of devices.</summary>
    private static string? Text(gdcm.StringFilter attributes, ushort group, ushort number)
    {
        using var tag = new gdcm.Tag(group, number);
        var text = attributes.ToString(tag);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var printable = new string([.. text.Where(c => !char.IsControl(c))]).Trim('\0', ' ');
        return printable.Length == 0 ? null : printable[..Math.Min(printable.Length, 64)];
    }

    private static double? First(string? multiValued) =>
        multiValued?.Split('\\')[0] is { } first && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static IReadOnlyList<double>? Spacing(string? text)
    {
        var parts = text?.Split('\\');
        return parts is [var row, var column]
            && double.TryParse(row, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && double.IsFinite(r)
            && double.TryParse(column, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c > 0 && double.IsFinite(c)
            ? [r, c]
            : null;
    }
}
