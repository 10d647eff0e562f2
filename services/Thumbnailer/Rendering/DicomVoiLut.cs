using System.Buffers.Binary;

namespace Dental.Thumbnailer.Rendering;

/// <summary>
/// A VOI LUT (PS3.3 C.11.2): the descriptor says how many entries, the first modality value mapped and the bits per entry;
/// values below the first map to the first entry, above the last to the last.
/// </summary>
internal sealed class DicomVoiLut
{
    private readonly int[] _entries;
    private readonly int _firstMapped;
    private readonly double _toDisplay;

    private DicomVoiLut(int[] entries, int firstMapped, int bits) =>
        (_entries, _firstMapped, _toDisplay) = (entries, firstMapped, 255.0 / ((1 << bits) - 1));

    /// <summary>Null when the descriptor or data is missing or inconsistent: the caller falls back to the image's own range.</summary>
    public static DicomVoiLut? From(byte[]? descriptor, byte[]? data)
    {
        if (descriptor is not { Length: 6 } || data is not { Length: > 0 })
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(descriptor) is var n and > 0 ? n : 65536;
        // The first mapped value is US or SS depending on the pixel representation; read as signed, as the standard allows.
        var firstMapped = (int)BinaryPrimitives.ReadInt16LittleEndian(descriptor.AsSpan(2));
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(descriptor.AsSpan(4));
        if (bits is < 8 or > 16)
        {
            return null;
        }

        int[] entries;
        if (data.Length == count * 2)
        {
            entries = new int[count];
            for (var i = 0; i < count; i++)
            {
                entries[i] = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(i * 2));
            }
        }
        else if (data.Length is var length && (length == count || length == count + 1) && bits == 8)
        {
            entries = [.. data.AsSpan(0, count).ToArray().Select(b => (int)b)];
        }
        else
        {
            return null;
        }

        return new DicomVoiLut(entries, firstMapped, bits);
    }

    public byte[] Apply(float[] values)
    {
        var display = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Math.Clamp((int)Math.Round(values[i]) - _firstMapped, 0, _entries.Length - 1);
            display[i] = (byte)Math.Clamp(Math.Round(_entries[index] * _toDisplay), 0, 255);
        }

        return display;
    }
}
