using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Dental.Contracts;

/// <summary>
/// A tooth or a region of the mouth. Always stored canonically in FDI (ISO 3950) two-digit form, or
/// as a region name; the notation the client used is kept beside it.
/// </summary>
public readonly record struct Tooth(string Code)
{
    public static IReadOnlyList<string> Regions { get; } = ["full", "upper", "lower", "q1", "q2", "q3", "q4"];

    public bool IsRegion => Regions.Contains(Code);

    public override string ToString() => Code;

    /// <summary>Parses a tooth or region given in <paramref name="notation"/> into its canonical FDI form.</summary>
    public static bool TryParse(string? value, string notation, [NotNullWhen(true)] out Tooth? tooth)
    {
        tooth = null;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var region = Regions.FirstOrDefault(r => string.Equals(r, text, StringComparison.OrdinalIgnoreCase));
        if (region is not null)
        {
            tooth = new Tooth(region);
            return true;
        }

        var fdi = notation switch
        {
            ToothNotation.Fdi => IsFdi(text) ? text : null,
            ToothNotation.Universal => UniversalToFdi(text),
            _ => null,
        };
        tooth = fdi is null ? null : new Tooth(fdi);
        return tooth is not null;
    }

    public static bool IsFdi(string code)
    {
        if (code.Length != 2 || !char.IsAsciiDigit(code[0]) || !char.IsAsciiDigit(code[1]))
        {
            return false;
        }

        var quadrant = code[0] - '0';
        var position = code[1] - '0';
        return quadrant switch
        {
            >= 1 and <= 4 => position is >= 1 and <= 8,
            >= 5 and <= 8 => position is >= 1 and <= 5,
            _ => false,
        };
    }

    /// <summary>
    /// Universal numbering: permanent teeth 1–32 run from the upper right third molar (FDI 18) along the
    /// upper arch to 17 (FDI 38)… and primary teeth A–T likewise from FDI 55.
    /// </summary>
    public static string? UniversalToFdi(string code)
    {
        if (int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number is >= 1 and <= 32 ? FromArchIndex(number - 1, 8, permanent: true) : null;
        }

        if (code.Length == 1 && char.ToUpperInvariant(code[0]) is >= 'A' and <= 'T' and var letter)
        {
            return FromArchIndex(letter - 'A', 5, permanent: false);
        }

        return null;
    }

    /// <summary>The tooth as a client of <paramref name="notation"/> writes it (a region stays a region).</summary>
    public static string InNotation(string canonical, string notation) =>
        notation == ToothNotation.Universal ? FdiToUniversal(canonical) ?? canonical : canonical;

    /// <summary>The inverse of <see cref="UniversalToFdi"/>; null for regions.</summary>
    public static string? FdiToUniversal(string fdi)
    {
        if (!IsFdi(fdi))
        {
            return null;
        }

        var quadrant = fdi[0] - '0';
        var position = fdi[1] - '0';
        var permanent = quadrant <= 4;
        var perQuadrant = permanent ? 8 : 5;
        var q = permanent ? quadrant : quadrant - 4;
        // Quadrants 1 and 3 count down toward the midline, 2 and 4 count away from it.
        var index = q switch
        {
            1 => perQuadrant - position,
            2 => perQuadrant + position - 1,
            3 => 2 * perQuadrant + perQuadrant - position,
            _ => 3 * perQuadrant + position - 1,
        };
        return permanent
            ? (index + 1).ToString(CultureInfo.InvariantCulture)
            : ((char)('A' + index)).ToString();
    }

    private static string FromArchIndex(int index, int perQuadrant, bool permanent)
    {
        var q = index / perQuadrant;
        var offset = index % perQuadrant;
        var (quadrant, position) = q switch
        {
            0 => (1, perQuadrant - offset),
            1 => (2, offset + 1),
            2 => (3, perQuadrant - offset),
            _ => (4, offset + 1),
        };
        if (!permanent)
        {
            quadrant += 4;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{quadrant}{position}");
    }
}
