using Microsoft.AspNetCore.Authorization;

namespace Dental.ServiceDefaults.Auth;

/// <summary>Which roles may do what; the gateway and every service enforce the same table.</summary>
public static class Policies
{
    public const string Upload = "upload";
    public const string Read = "read";
    public const string Delete = "delete";
    public const string Erase = "erase";

    /// <summary>The roles each policy admits (any one of them).</summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>
    {
        [Upload] = [Roles.Clinician, Roles.Admin, Roles.Service],
        [Read] = [Roles.Clinician, Roles.Admin, Roles.Auditor],
        [Delete] = [Roles.Clinician, Roles.Admin],
        [Erase] = [Roles.Admin],
    };

    public static void Configure(AuthorizationOptions options)
    {
        foreach (var (policy, roles) in RolesOf)
        {
            options.AddPolicy(policy, p => p.RequireRole(roles));
        }

        // Anything not explicitly opened (health, /dev/token) needs at least a valid token.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
