using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Dental.Contracts;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// The clinic (tenant) a token acts in. Tokens name it in a claim whose type is configured (<see cref="AuthOptions.ClinicClaim"/>:
/// <c>clinic</c>, or Entra ID's <c>tid</c> for a multi-tenant deployment); on validation it is copied to
/// <see cref="ClaimType"/>, which every service and the gateway read, so no other claim can pose as it.
/// </summary>
public static class ClinicClaims
{
    public const string ClaimType = "dental:clinic";

    public const int MaxIdLength = 64;

    /// <summary>An opaque id: 1–64 characters of [A-Za-z0-9-] (an Entra tenant id is a GUID).</summary>
    public static bool IsValidId([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The caller's clinic; every route that touches patient data requires it (its policies do), so it is there.</summary>
    public static string ClinicId(this ClaimsPrincipal user) =>
        user.FindFirst(ClaimType)?.Value ?? throw new InvalidOperationException("The caller's token names no clinic: the route's policy should have refused it.");

    /// <summary>The patient a route names, inside the caller's clinic: another clinic's patient with the same id is another patient.</summary>
    public static PatientKey Patient(this ClaimsPrincipal user, string patientId) => new(user.ClinicId(), patientId);

    /// <summary>Copies the configured clinic claim, when valid, to <see cref="ClaimType"/> (and drops any claim that posed as it).</summary>
    internal static void Normalize(ClaimsIdentity identity, string configuredClaim)
    {
        foreach (var posing in identity.FindAll(ClaimType).ToList())
        {
            identity.RemoveClaim(posing);
        }

        if (identity.FindFirst(configuredClaim)?.Value is { } clinic && IsValidId(clinic))
        {
            identity.AddClaim(new Claim(ClaimType, clinic));
        }
    }
}
