using System.Security.Claims;
using Dental.ServiceDefaults.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.UnitTests;

public class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = AuthExtensions.SigningKey("a-test-signing-key-of-at-least-32-bytes!!");

    private static string Token(TimeSpan lifetime) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "issuer",
        Audience = "api://dental",
        Subject = new ClaimsIdentity([new Claim("sub", "dr-who"), new Claim("roles", "clinician")]),
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    private static TokenValidationParameters Parameters(bool withKey) => new()
    {
        ValidIssuer = "issuer",
        ValidAudience = "api://dental",
        IssuerSigningKey = withKey ? Key : null,
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task A_repeated_token_is_answered_from_memory_until_the_most_it_may_be_kept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var handler = new CachingTokenHandler(time);
        var token = Token(TimeSpan.FromHours(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(withKey: true))).IsValid);

        // Without the key a check of the signature would fail: a valid answer means it was not checked again.
        var repeated = await handler.ValidateTokenAsync(token, Parameters(withKey: false));
        Assert.True(repeated.IsValid);
        Assert.Equal("dr-who", repeated.ClaimsIdentity.FindFirst("sub")?.Value);

        time.Advance(CachingTokenHandler.MaxAge);
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid);
    }

    [Fact]
    public async Task A_token_is_not_kept_past_its_expiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var handler = new CachingTokenHandler(time);
        var token = Token(TimeSpan.FromMinutes(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(withKey: true))).IsValid);

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid);
    }

    [Fact]
    public async Task Invalid_tokens_are_not_kept_and_each_answer_has_its_own_identity()
    {
        using var handler = new CachingTokenHandler(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var token = Token(TimeSpan.FromHours(1));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid);

        var first = await handler.ValidateTokenAsync(token, Parameters(withKey: true));
        first.ClaimsIdentity.AddClaim(new Claim("clinic", "added-by-a-caller"));
        var second = await handler.ValidateTokenAsync(token, Parameters(withKey: true));
        Assert.Null(second.ClaimsIdentity.FindFirst("clinic"));
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }
}
