using System.ComponentModel.DataAnnotations;
using Dental.ServiceDefaults.Auth;

namespace Dental.UnitTests;

public class AuthOptionsTests
{
    private static List<ValidationResult> Validate(AuthOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Needs_an_authority_or_a_signing_key()
    {
        var errors = Validate(new AuthOptions());
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Auth:Authority", StringComparison.Ordinal));
        Assert.Empty(Validate(new AuthOptions { Authority = "https://login.microsoftonline.com/tenant/v2.0" }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5555", true)]
    [InlineData("http://localhost:5555/tenant", true)]
    [InlineData("http://login.example/tenant/v2.0", false)]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0", false)]
    [InlineData(null, false)]
    public void Only_an_authority_on_this_machine_may_skip_https(string? authority, bool local) =>
        Assert.Equal(local, new AuthOptions { Authority = authority }.AuthorityIsOnThisMachine);

    [Fact]
    public void Refuses_a_short_signing_key()
    {
        Assert.Contains(Validate(new AuthOptions { SigningKey = "short" }), e => e.MemberNames.Contains(nameof(AuthOptions.SigningKey)));
        Assert.Empty(Validate(new AuthOptions { SigningKey = new string('k', 32) }));
    }
}
