namespace Dental.Contracts;

/// <summary>What an erasure covers: one patient of a clinic, or (<see cref="PatientId"/> null) a whole clinic being offboarded.</summary>
public readonly record struct ErasureScope(string ClinicId, string? PatientId)
{
    public static ErasureScope Of(PatientKey patient) => new(patient.ClinicId, patient.PatientId);

    public static ErasureScope Clinic(string clinicId) => new(clinicId, null);

    /// <summary>Prefix of every blob in scope in the originals and previews containers.</summary>
    public string BlobPrefix => PatientId is null ? BlobNames.ClinicPrefix(ClinicId) : BlobNames.PatientPrefix(new PatientKey(ClinicId, PatientId));

    public bool Covers(PatientKey patient) => patient.ClinicId == ClinicId && (PatientId is null || patient.PatientId == PatientId);
}
