namespace Dental.Contracts.Events;

/// <summary>The CloudEvents <c>subject</c> of an event: opaque ids only.</summary>
public static class EventSubjects
{
    public static string Image(string patientId, Guid imageId) => $"patients/{patientId}/images/{imageId:D}";

    public static string Patient(string patientId) => $"patients/{patientId}";
}
