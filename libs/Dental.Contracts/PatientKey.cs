namespace Dental.Contracts;

/// <summary>
/// A patient inside its clinic: a patient id is unique within its clinic only, so the same id in two clinics is two
/// patients. <see cref="Path"/> ({clinicId}/{patientId}) is the Catalog's partition key and the prefix of the patient's blobs.
/// </summary>
public readonly record struct PatientKey(string ClinicId, string PatientId)
{
    public string Path => $"{ClinicId}/{PatientId}";

    public override string ToString() => Path;

    /// <summary>A <see cref="Path"/> read back ({clinicId}/{patientId}), as the operations tool takes and reports patients.</summary>
    public static PatientKey Parse(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < path.Length - 1 && path.IndexOf('/', slash + 1) < 0
            ? new PatientKey(path[..slash], path[(slash + 1)..])
            : throw new FormatException($"'{path}' is not clinicId/patientId.");
    }
}
