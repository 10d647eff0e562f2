using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dental.Audit;

/// <summary>What a handler adds to its request's record: the images it created (an upload's ids are not in its route).</summary>
public sealed class AuditScope
{
    public List<string> ImageIds { get; } = [];

    /// <summary>The patient a route names outside its path (a query's filter).</summary>
    public string? PatientId { get; set; }

    /// <summary>The request is an intermediate step of a series whose last request is recorded (a resumable upload's chunks).</summary>
    public bool Unrecorded { get; set; }
}

public static class AuditedEndpointExtensions
{
    /// <summary>Marks a route as touching patient data: every answer it gives is recorded (see <see cref="AuditFilter"/>).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!AuditActions.EventTypeOf.ContainsKey(action))
        {
            throw new ArgumentException($"'{action}' is not an audit action.", nameof(action));
        }

        return builder.AddEndpointFilter(new AuditFilter(action));
    }

    /// <summary>Names the patient a request concerns, when its path does not.</summary>
    public static void AuditPatient(this HttpContext http, string? patientId)
    {
        if (http.Features.Get<AuditScope>() is { } scope)
        {
            scope.PatientId = patientId;
        }
    }

    /// <summary>Leaves this request out of the trail: it is one step of a series whose outcome is recorded by its last request.</summary>
    public static void AuditNotThisStep(this HttpContext http)
    {
        if (http.Features.Get<AuditScope>() is { } scope)
        {
            scope.Unrecorded = true;
        }
    }

    /// <summary>Names images the request created in its audit record.</summary>
    public static void AuditImages(this HttpContext http, IEnumerable<string> imageIds) =>
        http.Features.Get<AuditScope>()?.ImageIds.AddRange(imageIds);
}
