using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.Testing;

/// <summary>
/// A small OpenID Connect provider on 127.0.0.1, standing in for Microsoft Entra ID in browser tests:
/// discovery, signing keys (RS256), an authorize endpoint that signs one fixed user in at once (code
/// flow, PKCE S256 required), a token endpoint that checks the code, redirect URI and PKCE verifier, and
/// an end-session endpoint. Open to every origin, as Entra ID's token endpoint is for single-page apps.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    private static readonly string[] CodeFlow = ["code"];
    private static readonly string[] PublicSubjects = ["public"];
    private static readonly string[] Rs256 = ["RS256"];
    private static readonly string[] S256 = ["S256"];

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly ConcurrentDictionary<string, Grant> _grants = new();
    private readonly string _clientId;
    private readonly string _audience;
    private readonly string _subject;
    private readonly string[] _roles;
    private int _tokensIssued;

    public FakeOidcProvider(string clientId, string audience, string subject, params string[] roles)
    {
        (_clientId, _audience, _subject, _roles) = (clientId, audience, subject, roles);
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Authority);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "*";
            return next(context);
        });
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = $"{Authority}/authorize",
            ["token_endpoint"] = $"{Authority}/token",
            ["jwks_uri"] = $"{Authority}/keys",
            ["end_session_endpoint"] = $"{Authority}/logout",
            ["response_types_supported"] = CodeFlow,
            ["subject_types_supported"] = PublicSubjects,
            ["id_token_signing_alg_values_supported"] = Rs256,
            ["code_challenge_methods_supported"] = S256,
        }));
        _app.MapGet("/keys", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(PublicKey()) } }));
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
        _app.MapGet("/logout", (string? post_logout_redirect_uri) =>
            post_logout_redirect_uri is null ? Results.Ok() : Results.Redirect(post_logout_redirect_uri));
    }

    public int Port { get; }

    public string Authority => $"http://127.0.0.1:{Port}";

    /// <summary>How many token requests succeeded (the browser really exchanged a code).</summary>
    public int TokensIssued => _tokensIssued;

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != _clientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(query["code_challenge"]) || string.IsNullOrEmpty(query["redirect_uri"]))
        {
            return Results.BadRequest("invalid_request");
        }

        var code = Guid.NewGuid().ToString("N");
        _grants[code] = new Grant(query["code_challenge"]!, query["redirect_uri"]!, query["scope"].ToString(), query["nonce"]);
        var redirect = QueryHelpers.AddQueryString(query["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] });
        return Results.Redirect(redirect);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_grants.TryRemove(form["code"].ToString(), out var grant)
            || form["redirect_uri"] != grant.RedirectUri || form["client_id"] != _clientId
            || Challenge(form["code_verifier"].ToString()) != grant.CodeChallenge)
        {
            return Results.BadRequest(new { error = "invalid_grant" });
        }

        Interlocked.Increment(ref _tokensIssued);
        var idClaims = new Dictionary<string, object> { ["preferred_username"] = _subject };
        if (!string.IsNullOrEmpty(grant.Nonce))
        {
            idClaims["nonce"] = grant.Nonce;
        }

        return Results.Json(new
        {
            token_type = "Bearer",
            expires_in = 3600,
            scope = grant.Scope,
            access_token = AccessToken(),
            id_token = Token(_clientId, idClaims),
        });
    }

    /// <summary>An access token for the configured subject and roles in the tests' clinic, as the token endpoint issues it (for benchmarks).</summary>
    public string AccessToken() =>
        Token(_audience, new Dictionary<string, object> { [Roles.ClaimType] = _roles, ["preferred_username"] = _subject, ["clinic"] = TestTokens.Clinic });

    private string Token(string audience, Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Authority,
        Audience = audience,
        Expires = DateTime.UtcNow.AddHours(1),
        Subject = new ClaimsIdentity([new Claim("sub", _subject)]),
        Claims = claims,
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    private RsaSecurityKey PublicKey() => new(_key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = _key.KeyId };

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private sealed record Grant(string CodeChallenge, string RedirectUri, string Scope, string? Nonce);
}
