namespace Dental.ServiceDefaults.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Clinician = "clinician";
    public const string Service = "service";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, Clinician, Service, Auditor];

    /// <summary>The claim carrying roles, as Microsoft Entra ID issues app roles.</summary>
    public const string ClaimType = "roles";
}
