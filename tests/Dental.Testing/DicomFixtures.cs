using System.Diagnostics;
using System.Text;

namespace Dental.Testing;

/// <summary>What a test DICOM file holds: pixels, how they are to be shown, and the attributes a real sensor writes.</summary>
public sealed record DicomSpec
{
    public int Width { get; init; } = 600;
    public int Height { get; init; } = 400;

    /// <summary>8 or 16 bits allocated; <see cref="BitsStored"/> may be fewer (12 is common for X-ray sensors).</summary>
    public int Bits { get; init; } = 16;
    public int BitsStored { get; init; } = 12;
    public string Photometric { get; init; } = "MONOCHROME2";
    public int Frames { get; init; } = 1;

    /// <summary>Stored value of pixel (x, y) in frame f.</summary>
    public Func<int, int, int, int> Sample { get; init; } = (x, y, f) => (x * 4000 / 600) % 4096;

    public (double Centre, double Width)? Window { get; init; }

    /// <summary>A VOI LUT of 16-bit entries, first mapped value 0: entry i for stored value i.</summary>
    public ushort[]? VoiLut { get; init; }

    public double Slope { get; init; } = 1;
    public double Intercept { get; init; }

    /// <summary>Identifying attributes every real file has: the platform must never repeat them.</summary>
    public string PatientName { get; init; } = "Doe^Jane";
    public string PatientBirthDate { get; init; } = "19800101";
}

/// <summary>
/// Real DICOM files made by the tests: written with GDCM (Debian's libgdcm-cil), then transcoded to every transfer
/// syntax the platform accepts with GDCM's and DCMTK's own tools (libgdcm-tools, dcmtk).
/// </summary>
public static class DicomFixtures
{
    public const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitLittleEndian = "1.2.840.10008.1.2.1";
    public const string ExplicitBigEndian = "1.2.840.10008.1.2.2";
    public const string JpegLossless = "1.2.840.10008.1.2.4.70";
    public const string JpegLs = "1.2.840.10008.1.2.4.80";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string Rle = "1.2.840.10008.1.2.5";

    public static byte[] Create(DicomSpec spec)
    {
        var bytesPerSample = spec.Bits / 8;
        var frameLength = spec.Width * spec.Height * bytesPerSample;
        var pixels = new byte[frameLength * spec.Frames];
        for (var f = 0; f < spec.Frames; f++)
        {
            for (var y = 0; y < spec.Height; y++)
            {
                for (var x = 0; x < spec.Width; x++)
                {
                    var value = spec.Sample(x, y, f);
                    var at = (f * frameLength) + (((y * spec.Width) + x) * bytesPerSample);
                    pixels[at] = (byte)value;
                    if (bytesPerSample == 2)
                    {
                        pixels[at + 1] = (byte)(value >> 8);
                    }
                }
            }
        }

        // The writer's own image: a gdcm.Image made here would be reference-counted by the writer and freed twice.
        using var writer = new gdcm.ImageWriter();
        var image = writer.GetImage();
        image.SetNumberOfDimensions(spec.Frames > 1 ? 3u : 2u);
        image.SetDimension(0, (uint)spec.Width);
        image.SetDimension(1, (uint)spec.Height);
        if (spec.Frames > 1)
        {
            image.SetDimension(2, (uint)spec.Frames);
        }

        using var format = new gdcm.PixelFormat(spec.Bits == 8 ? gdcm.PixelFormat.ScalarType.UINT8 : gdcm.PixelFormat.ScalarType.UINT16);
        format.SetBitsStored((ushort)Math.Min(spec.BitsStored, spec.Bits));
        format.SetHighBit((ushort)(Math.Min(spec.BitsStored, spec.Bits) - 1));
        image.SetPixelFormat(format);
        image.SetPhotometricInterpretation(new gdcm.PhotometricInterpretation(
            spec.Photometric == "MONOCHROME1" ? gdcm.PhotometricInterpretation.PIType.MONOCHROME1 : gdcm.PhotometricInterpretation.PIType.MONOCHROME2));
        using var pixelData = new gdcm.DataElement(new gdcm.Tag(0x7FE0, 0x0010));
        pixelData.SetByteValue(pixels, new gdcm.VL((uint)pixels.Length));
        image.SetDataElement(pixelData);

        var dataSet = writer.GetFile().GetDataSet();
        Put(dataSet, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
        Put(dataSet, 0x0008, 0x0022, "DA", "20261130");
        Put(dataSet, 0x0008, 0x0060, "CS", "IO");
        Put(dataSet, 0x0008, 0x0070, "LO", "Acme Sensors");
        Put(dataSet, 0x0008, 0x1090, "LO", "IntraView 2");
        Put(dataSet, 0x0010, 0x0010, "PN", spec.PatientName);
        Put(dataSet, 0x0010, 0x0020, "LO", "MRN-0042");
        Put(dataSet, 0x0010, 0x0030, "DA", spec.PatientBirthDate);
        Put(dataSet, 0x0018, 0x1164, "DS", "0.019\\0.019");
        if (spec.Window is { } window)
        {
            Put(dataSet, 0x0028, 0x1050, "DS", Number(window.Centre));
            Put(dataSet, 0x0028, 0x1051, "DS", Number(window.Width));
        }

        if (spec.VoiLut is { } lut)
        {
            AddVoiLut(dataSet, lut);
        }

        return WithTempFolder(folder =>
        {
            var path = Path.Combine(folder, "fixture.dcm");
            writer.SetFileName(path);
            if (!writer.Write())
            {
                throw new InvalidOperationException("GDCM could not write the fixture.");
            }

            // GDCM writes the rescale of its own image model (slope 1, intercept 0) for this storage class: DCMTK sets the file's.
            if (spec.Slope != 1 || spec.Intercept != 0)
            {
                Run("dcmodify", ["-nb", "-m", $"(0028,1052)={Number(spec.Intercept)}", "-m", $"(0028,1053)={Number(spec.Slope)}", path]);
            }

            return File.ReadAllBytes(path);
        });
    }

    /// <summary>The same file in another transfer syntax: explicit big endian by DCMTK's dcmconv, the rest by gdcmconv.</summary>
    public static byte[] Transcode(byte[] dicom, string transferSyntax) => WithTempFolder(folder =>
    {
        var input = Path.Combine(folder, "in.dcm");
        var output = Path.Combine(folder, "out.dcm");
        File.WriteAllBytes(input, dicom);
        var (tool, arguments) = transferSyntax switch
        {
            ImplicitLittleEndian => ("gdcmconv", new[] { "-w", "-M", input, output }),
            ExplicitLittleEndian => ("gdcmconv", ["-w", "-X", input, output]),
            ExplicitBigEndian => ("dcmconv", ["+tb", input, output]),
            JpegLossless => ("gdcmconv", ["-J", input, output]),
            JpegLs => ("gdcmconv", ["-L", input, output]),
            Jpeg2000Lossless => ("gdcmconv", ["-K", input, output]),
            Rle => ("gdcmconv", ["-R", input, output]),
            _ => throw new ArgumentOutOfRangeException(nameof(transferSyntax), transferSyntax, "no converter for this transfer syntax"),
        };
        Run(tool, arguments);
        return File.ReadAllBytes(output);
    });

    /// <summary>A colour JPEG wrapped as JPEG-baseline DICOM (YBR_FULL_422), as intraoral cameras export photos: DCMTK's img2dcm.</summary>
    public static byte[] FromJpeg(byte[] jpeg) => WithTempFolder(folder =>
    {
        var input = Path.Combine(folder, "in.jpg");
        var output = Path.Combine(folder, "out.dcm");
        File.WriteAllBytes(input, jpeg);
        Run("img2dcm", ["-k", "PatientName=Doe^Jane", "-k", "Modality=XC", input, output]);
        return File.ReadAllBytes(output);
    });

    /// <summary>An 8-bit greyscale lossless JPEG (SOF3): the codestream gdcmconv writes inside a JPEG-lossless DICOM file.</summary>
    public static byte[] LosslessJpeg(int width, int height, Func<int, int, int> sample)
    {
        var dicom = Transcode(Create(new DicomSpec { Width = width, Height = height, Bits = 8, BitsStored = 8, Sample = (x, y, _) => sample(x, y) }), JpegLossless);
        var start = dicom.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
        var end = dicom.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]);
        return dicom[start..(end + 2)];
    }

    /// <summary>The file with its meta information's transfer syntax UID replaced by another of the same length.</summary>
    public static byte[] WithTransferSyntaxUid(byte[] dicom, string from, string to)
    {
        if (from.Length != to.Length)
        {
            throw new ArgumentException("UIDs of equal length keep every element length valid.", nameof(to));
        }

        var at = dicom.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        var copy = (byte[])dicom.Clone();
        Encoding.ASCII.GetBytes(to).CopyTo(copy, at);
        return copy;
    }

    private static void Put(gdcm.DataSet dataSet, ushort group, ushort number, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 1 ? value + (vr == "UI" ? "\0" : " ") : value);
        using var element = new gdcm.DataElement(new gdcm.Tag(group, number));
        element.SetVR(new gdcm.VR(gdcm.VR.GetVRType(vr)));
        element.SetByteValue(bytes, new gdcm.VL((uint)bytes.Length));
        dataSet.Replace(element);
    }

    private static void AddVoiLut(gdcm.DataSet dataSet, ushort[] lut)
    {
        using var item = new gdcm.Item();
        item.SetVLToUndefined();
        var nested = item.GetNestedDataSet();
        var descriptor = new byte[6];
        BitConverter.TryWriteBytes(descriptor.AsSpan(0), (ushort)(lut.Length == 65536 ? 0 : lut.Length));
        BitConverter.TryWriteBytes(descriptor.AsSpan(2), (ushort)0);
        BitConverter.TryWriteBytes(descriptor.AsSpan(4), (ushort)16);
        PutBinary(nested, 0x0028, 0x3002, "US", descriptor);
        var data = new byte[lut.Length * 2];
        Buffer.BlockCopy(lut, 0, data, 0, data.Length);
        PutBinary(nested, 0x0028, 0x3006, "OW", data);

        using var sequence = gdcm.SequenceOfItems.New();
        sequence.SetLengthToUndefined();
        sequence.AddItem(item);
        using var element = new gdcm.DataElement(new gdcm.Tag(0x0028, 0x3010));
        element.SetVR(new gdcm.VR(gdcm.VR.VRType.SQ));
        element.SetValue(sequence.__ref__());
        element.SetVLToUndefined();
        dataSet.Replace(element);
    }

    private static void PutBinary(gdcm.DataSet dataSet, ushort group, ushort number, string vr, byte[] bytes)
    {
        using var element = new gdcm.DataElement(new gdcm.Tag(group, number));
        element.SetVR(new gdcm.VR(gdcm.VR.GetVRType(vr)));
        element.SetByteValue(bytes, new gdcm.VL((uint)bytes.Length));
        dataSet.Replace(element);
    }

    private static string Number(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static void Run(string tool, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error.Result}");
        }
    }

    private static T WithTempFolder<T>(Func<string, T> work)
    {
        var folder = Directory.CreateTempSubdirectory("dental-dicom-fixture-");
        try
        {
            return work(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
