using Dental.Contracts;

namespace Dental.UnitTests;

public class PatientIdTests
{
    [Theory]
    [InlineData("0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f")]
    [InlineData("P1")]
    [InlineData("a")]
    public void Accepts_opaque_ids(string id) => Assert.True(PatientId.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("john.doe")]
    [InlineData("é")]
    public void Refuses_anything_else(string? id) => Assert.False(PatientId.IsValid(id));

    [Fact]
    public void Refuses_ids_longer_than_64()
    {
        Assert.True(PatientId.IsValid(new string('a', 64)));
        Assert.False(PatientId.IsValid(new string('a', 65)));
    }
}
