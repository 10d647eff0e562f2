using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// Validates a bearer token once and answers its repeats from memory. A client sends the same token with every request
/// for as long as it lives, and checking an RS256 signature costs about as much CPU as forwarding the request (measured
/// by profiling the gateway): without this, every hop of every request pays it again. Only valid tokens are kept, keyed by
/// the whole token, until the earlier of their expiry and <see cref="MaxAge"/> (so a signing key withdrawn by the
/// provider stops being honoured within it); each answer gets its own copy of the identity, which the caller may change.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider time) : JsonWebTokenHandler, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private const int MaxTokens = 10_000;

    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = MaxTokens });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(token, out Entry? entry) && entry is not null && now < entry.Until)
        {
            return entry.Answer();
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated && result.ClaimsIdentity is { } identity)
        {
            var until = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero);
            var keep = now + MaxAge < until ? now + MaxAge : until;
            if (keep > now)
            {
                var kept = new Entry(identity.Clone(), validated, result.Issuer, result.TokenType, keep);
                _valid.Set(token, kept, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = keep - now });
                result.ClaimsIdentity = kept.Identity.Clone();
            }
        }

        return result;
    }

    public void Dispose() => _valid.Dispose();

    private sealed record Entry(ClaimsIdentity Identity, SecurityToken Token, string? Issuer, string? TokenType, DateTimeOffset Until)
    {
        public TokenValidationResult Answer() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
