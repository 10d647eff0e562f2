using Microsoft.AspNetCore.Authorization;

namespace Dental.ServiceDefaults.Auth;

/// <summary>Which roles may do what; the gateway and every service enforce the same table.</summary>
public static class Policies
{
    public const string Upload = "upload";
    public const string Read = "read";
    public const string Delete = "delete";
    public const string Erase = "erase";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Upload, p => p.RequireRole(Roles.Clinician, Roles.Admin, Roles.Service));
        options.AddPolicy(Read, p => p.RequireRole(Roles.Clinician, Roles.Admin, Roles.Auditor));
        options.AddPolicy(Delete, p => p.RequireRole(Roles.Clinician, Roles.Admin));
        options.AddPolicy(Erase, p => p.RequireRole(Roles.Admin));
        // Anything not explicitly opened (health, /dev/token) needs at least a valid token.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
