using Microsoft.AspNetCore.Authorization;

namespace Dental.ServiceDefaults.Auth;

/// <summary>Which roles may do what; the gateway and every service enforce the same table.</summary>
public static class Policies
{
    public const string Upload = "upload";
    public const string Read = "read";
    public const string ReadContent = "read-content";

    /// <summary>Seeing an image's free text (the client's file name, the note) in its metadata.</summary>
    public const string ReadText = "read-text";
    public const string Delete = "delete";

    /// <summary>Tagging, annotating and correcting an image's record.</summary>
    public const string Edit = "edit";
    public const string Erase = "erase";

    /// <summary>Exporting a patient's images and metadata (data portability): the people who treat the patient.</summary>
    public const string Export = "export";

    /// <summary>Reading the clinic's audit trail and a patient's access report.</summary>
    public const string Audit = "audit";

    /// <summary>
    /// The role table, the one place it is written: the roles each policy admits (any one of them). The gateway and every
    /// service enforce the same policies, and each also requires the token to name a clinic. Auditors read metadata (without
    /// notes and file names) but never image bytes; integrations (service) upload, read and tag but delete nothing; only a
    /// clinic's admin erases; a clinic's auditors and admins read its audit trail.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>
    {
        [Upload] = [Roles.Clinician, Roles.Admin, Roles.Service],
        [Read] = [Roles.Clinician, Roles.Admin, Roles.Auditor, Roles.Service],
        [ReadContent] = [Roles.Clinician, Roles.Admin, Roles.Service],
        [ReadText] = [Roles.Clinician, Roles.Admin, Roles.Service],
        [Delete] = [Roles.Clinician, Roles.Admin],
        [Edit] = [Roles.Clinician, Roles.Admin, Roles.Service],
        [Erase] = [Roles.Admin],
        [Export] = [Roles.Clinician, Roles.Admin],
        [Audit] = [Roles.Auditor, Roles.Admin],
    };

    /// <summary>Whether the caller holds one of the roles <paramref name="policy"/> admits (for what a route shows, not whether it answers).</summary>
    public static bool Admits(string policy, System.Security.Claims.ClaimsPrincipal user) => RolesOf[policy].Any(user.IsInRole);

    public static void Configure(AuthorizationOptions options)
    {
        foreach (var (policy, roles) in RolesOf)
        {
            options.AddPolicy(policy, p => p.RequireRole(roles).RequireClaim(ClinicClaims.ClaimType).AddRequirements(new RegisteredClinicRequirement()));
        }

        // Anything not explicitly opened (health, /dev/token) needs at least a valid token.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
