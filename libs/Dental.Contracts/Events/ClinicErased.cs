namespace Dental.Contracts.Events;

/// <summary>
/// The platform operator offboards a clinic: it is closed in the registry, and every service erases everything it stores
/// for the clinic (as for <see cref="PatientErased"/>, for all its patients at once), sets a clinic tombstone and reports.
/// </summary>
public sealed record ClinicErased(string ClinicId, DateTimeOffset ErasedAt)
{
    public const string EventType = "dental.clinic.erased";
}
