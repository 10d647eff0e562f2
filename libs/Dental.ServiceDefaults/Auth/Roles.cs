namespace Dental.ServiceDefaults.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Clinician = "clinician";
    public const string Service = "service";
    public const string Auditor = "auditor";

    /// <summary>The platform operator: the operations tool's identity (an Azure RBAC assignment), for maintenance across clinics; no HTTP route admits it.</summary>
    public const string Operator = "operator";

    /// <summary>The roles a clinic's users and integrations have on the HTTP API.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Clinician, Service, Auditor];

    /// <summary>The claim carrying roles, as Microsoft Entra ID issues app roles.</summary>
    public const string ClaimType = "roles";
}
