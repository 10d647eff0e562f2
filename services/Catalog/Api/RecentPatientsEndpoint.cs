using Dental.Audit;
using Dental.Catalog.Store;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Api;

public sealed record RecentPatient(string PatientId, DateTimeOffset LastActivityAt);

public sealed record RecentPatients(IReadOnlyList<RecentPatient> Items);

/// <summary>The clinic's most recently active patients (last upload, delete or restore), for a patient picker.</summary>
internal static class RecentPatientsEndpoint
{
    private const int DefaultCount = 20;
    private const int MaxCount = 50;

    public static void MapRecentPatients(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/patients", ListAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.PatientsRecent)
            .WithName("ListRecentPatients").WithTags(ApiTags.Patients)
            .WithSummary("List the clinic's recently active patients")
            .WithDescription($"Patients of the caller's clinic by their last upload, delete or restore, most recent first (count: 1–{MaxCount}, {DefaultCount} by default).")
            .Produces<RecentPatients>()
            .ProducesProblems(StatusCodes.Status400BadRequest);

    private static async Task<IResult> ListAsync(int? count, HttpContext http, DocumentStore store, CancellationToken cancellationToken)
    {
        var size = count ?? DefaultCount;
        if (size is < 1 or > MaxCount)
        {
            return CatalogProblems.Invalid("count", $"count must be between 1 and {MaxCount}.");
        }

        var recent = await store.RecentPatientsAsync(http.User.ClinicId(), size, cancellationToken);
        return Results.Ok(new RecentPatients([.. recent.Select(a => new RecentPatient(a.PatientId, a.LastActivityAt))]));
    }
}
