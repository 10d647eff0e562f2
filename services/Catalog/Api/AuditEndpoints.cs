using Dental.Audit;
using Dental.Contracts;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Api;

/// <summary>One actor's views of a patient's data within a report's span.</summary>
public sealed record PatientAccess(string? Actor, string? Role, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt,
    IReadOnlyDictionary<string, int> Actions, IReadOnlyList<string> ImageIds);

/// <summary>Who saw a patient's images and metadata, and when: successful views, per actor, most recent first.</summary>
public sealed record AccessReport(string PatientId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<PatientAccess> Accesses);

/// <summary>The clinic's audit trail, for its auditors and admins: only their own clinic's records, newest first.</summary>
internal static class AuditEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public static void MapAudit(this IEndpointRouteBuilder app, RouteGroupBuilder patient)
    {
        app.MapGet("/api/v1/audit", QueryAsync).RequireAuthorization(Policies.Audit).Audited(AuditActions.AuditRead)
            .WithName("QueryAuditTrail").WithTags(ApiTags.Audit)
            .WithSummary("Read the clinic's audit trail")
            .WithDescription("Records of the caller's clinic, newest first, one page at a time: every request to patient data (time, actor, role, " +
                "action, patient and image ids, outcome, trace id, client address) and the gateway's refusal counts per caller and minute. " +
                "Without from, the last 90 days; a span is at most 366 days.")
            .WithParameterValues("action", AuditActions.All)
            .Produces<AuditPage>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        patient.MapGet("/access-report", AccessReportAsync).RequireAuthorization(Policies.Audit).Audited(AuditActions.AccessReport)
            .WithName("GetPatientAccessReport").WithTags(ApiTags.Audit)
            .WithSummary("Who saw this patient's images, and when")
            .WithDescription("Successful reads of the patient's images, metadata and chart, per actor, most recent first. Without from, the last 90 days; a span is at most 366 days.")
            .Produces<AccessReport>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> QueryAsync(
        string? patientId, string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, int? pageSize, string? continuationToken,
        HttpContext http, AuditReader reader, IOptions<AuditOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return CatalogProblems.Invalid("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        if (patientId is not null && !PatientId.IsValid(patientId))
        {
            return CatalogProblems.Invalid("patientId", "patientId must be 1–64 characters of letters, digits and '-'.");
        }

        if (actor is not null && !TokenSubject.IsValid(actor))
        {
            return CatalogProblems.Invalid("actor", $"actor must be a user id of 1–{TokenSubject.MaxLength} printable characters.");
        }

        if (action is not null && !AuditActions.EventTypeOf.ContainsKey(action))
        {
            return CatalogProblems.Invalid("action", $"action must be one of: {string.Join(", ", AuditActions.All)}.");
        }

        if (!AuditCursor.TryDecode(continuationToken, out var cursor))
        {
            return CatalogProblems.Invalid("continuationToken", "continuationToken is not one this API issued.");
        }

        if (Span(from, to, options.Value, time) is not { } span)
        {
            return SpanProblem(options.Value);
        }

        http.AuditPatient(patientId);
        var query = new AuditQuery(http.User.ClinicId(), span.From, span.To, patientId, actor, action);
        return Results.Ok(await reader.PageAsync(query, cursor, size, cancellationToken));
    }

    private static async Task<IResult> AccessReportAsync(
        string patientId, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, AuditReader reader, IOptions<AuditOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Span(from, to, options.Value, time) is not { } span)
        {
            return SpanProblem(options.Value);
        }

        var records = await reader.AllAsync(new AuditQuery(http.User.ClinicId(), span.From, span.To, patientId, null, null), cancellationToken);
        var accesses = records
            .Where(r => AuditActions.Views.Contains(r.Action) && r.Outcome is >= 200 and < 400)
            .GroupBy(r => (r.Actor, r.Role))
            .Select(g => new PatientAccess(g.Key.Actor, g.Key.Role, g.Sum(r => r.Count), g.Min(r => r.Time), g.Max(r => r.Time),
                g.GroupBy(r => r.Action).ToDictionary(a => a.Key, a => a.Sum(r => r.Count)),
                [.. g.SelectMany(r => r.ImageIds).Distinct()]))
            .OrderByDescending(a => a.LastAt)
            .ToList();
        return Results.Ok(new AccessReport(patientId, span.From, span.To, accesses));
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Span(DateTimeOffset? from, DateTimeOffset? to, AuditOptions options, TimeProvider time)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end - options.DefaultQuerySpan;
        return start <= end && end - start <= options.MaxQuerySpan ? (start, end) : null;
    }

    private static IResult SpanProblem(AuditOptions options) =>
        CatalogProblems.Invalid("from", $"from must not be after to, and the span at most {options.MaxQuerySpan.TotalDays:0} days.");
}
