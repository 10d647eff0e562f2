using Dental.Contracts;
using Dental.ServiceDefaults.Auth;

namespace Dental.Catalog.Api;

internal static class CallerPatient
{
    /// <summary>The patient a route names, inside the caller's clinic (the token's): another clinic's patient with the same id is another patient.</summary>
    public static PatientKey Patient(this HttpContext http, string patientId) => new(http.User.ClinicId(), patientId);
}
