using Dental.Contracts;

namespace Dental.UnitTests;

public class ToothTests
{
    [Theory]
    [InlineData("11")]
    [InlineData("18")]
    [InlineData("28")]
    [InlineData("38")]
    [InlineData("48")]
    [InlineData("51")]
    [InlineData("55")]
    [InlineData("85")]
    public void Accepts_fdi_permanent_and_primary_teeth(string code)
    {
        Assert.True(Tooth.TryParse(code, ToothNotation.Fdi, out var tooth));
        Assert.Equal(code, tooth.Value.Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("19")]
    [InlineData("99")]
    [InlineData("10")]
    [InlineData("56")]
    [InlineData("91")]
    [InlineData("1")]
    [InlineData("111")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("../11")]
    public void Refuses_what_is_not_an_fdi_tooth(string? code)
    {
        Assert.False(Tooth.TryParse(code, ToothNotation.Fdi, out _));
    }

    [Theory]
    [InlineData("1", "18")]
    [InlineData("8", "11")]
    [InlineData("9", "21")]
    [InlineData("16", "28")]
    [InlineData("17", "38")]
    [InlineData("24", "31")]
    [InlineData("25", "41")]
    [InlineData("32", "48")]
    [InlineData("A", "55")]
    [InlineData("E", "51")]
    [InlineData("F", "61")]
    [InlineData("J", "65")]
    [InlineData("K", "75")]
    [InlineData("O", "71")]
    [InlineData("P", "81")]
    [InlineData("t", "85")]
    public void Converts_universal_numbers_to_fdi(string universal, string fdi)
    {
        Assert.True(Tooth.TryParse(universal, ToothNotation.Universal, out var tooth));
        Assert.Equal(fdi, tooth.Value.Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("33")]
    [InlineData("U")]
    [InlineData("-1")]
    [InlineData("11a")]
    public void Refuses_what_is_not_a_universal_tooth(string code)
    {
        Assert.False(Tooth.TryParse(code, ToothNotation.Universal, out _));
    }

    [Fact]
    public void Universal_and_fdi_round_trip_for_all_52_teeth()
    {
        var universal = Enumerable.Range(1, 32).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Concat(Enumerable.Range('A', 20).Select(c => ((char)c).ToString()))
            .ToList();
        var fdi = universal.Select(u => Tooth.UniversalToFdi(u)!).ToList();

        Assert.Equal(52, fdi.Distinct().Count());
        Assert.All(fdi, f => Assert.True(Tooth.IsFdi(f)));
        Assert.Equal(universal, fdi.Select(f => Tooth.FdiToUniversal(f)));
    }

    [Theory]
    [InlineData("full", ToothNotation.Fdi)]
    [InlineData("UPPER", ToothNotation.Universal)]
    [InlineData("q4", ToothNotation.Fdi)]
    public void Regions_are_accepted_in_either_notation(string region, string notation)
    {
        Assert.True(Tooth.TryParse(region, notation, out var tooth));
        Assert.True(tooth.Value.IsRegion);
        Assert.Equal(region.ToLowerInvariant(), tooth.Value.Code);
    }

    [Fact]
    public void An_unknown_notation_accepts_no_tooth()
    {
        Assert.False(Tooth.TryParse("11", "palmer", out _));
    }
}
