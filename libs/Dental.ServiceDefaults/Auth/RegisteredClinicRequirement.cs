using Microsoft.AspNetCore.Authorization;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// The token's clinic must be one the platform serves (registered and active). Its handler comes with the clinic registry
/// (Dental.Clinics); where none is registered, nothing satisfies it and every patient route refuses.
/// </summary>
public sealed class RegisteredClinicRequirement : IAuthorizationRequirement
{
    /// <summary>The failure reason when the registry cannot be read: the caller is told to retry (503), not refused for good.</summary>
    public const string Unavailable = "clinic-registry-unavailable";
}
