using System.Security.Cryptography;
using Dental.Contracts.Hashing;

namespace Dental.UnitTests;

public class ResumableSha256Tests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(119)]
    [InlineData(120)]
    [InlineData(1_000_003)]
    public void Matches_the_platform_hash_for_lengths_around_the_padding_boundaries(int length)
    {
        var data = RandomNumberGenerator.GetBytes(length);
        var hash = new ResumableSha256();
        hash.Append(data);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash.HexDigest());
        Assert.Equal(length, hash.Length);
    }

    [Fact]
    public void Saved_and_resumed_at_every_split_point_of_some_data_gives_the_same_hash()
    {
        var data = RandomNumberGenerator.GetBytes(300);
        var expected = Convert.ToHexStringLower(SHA256.HashData(data));
        for (var split = 0; split <= data.Length; split++)
        {
            var first = new ResumableSha256();
            first.Append(data.AsSpan(0, split));
            var resumed = ResumableSha256.Resume(first.Save());
            resumed.Append(data.AsSpan(split));
            Assert.Equal(expected, resumed.HexDigest());
        }
    }

    [Fact]
    public void Many_uneven_appends_with_a_digest_taken_in_between_give_the_same_hash()
    {
        var data = RandomNumberGenerator.GetBytes(20_000);
        var hash = new ResumableSha256();
        var offset = 0;
        foreach (var size in new[] { 1, 63, 64, 65, 127, 3000, 7, 16_673 })
        {
            hash.Append(data.AsSpan(offset, size));
            offset += size;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(0, offset))), hash.HexDigest());
        }

        Assert.Equal(data.Length, offset);
    }

    [Fact]
    public void Refuses_a_state_that_is_not_one()
    {
        Assert.Throws<ArgumentException>(() => ResumableSha256.Resume(new byte[10]));
    }
}
