namespace Dental.Contracts;

/// <summary>
/// Blob naming. Names carry opaque ids only: never a person's name, never the client's file name
/// (file names can carry personal data; it is kept in metadata instead).
/// </summary>
public static class BlobNames
{
    public const string OriginalsContainer = "originals";
    public const string PreviewsContainer = "previews";

    /// <summary>Name inside the originals container: {clinicId}/{patientId}/{tooth}/{type}/{imageId}.{ext}.</summary>
    public static string Original(PatientKey patient, string tooth, string type, Guid imageId, string extension) =>
        $"{patient.Path}/{tooth}/{type}/{imageId:D}.{extension}";

    /// <summary>A variant's name inside the originals container: under its original's prefix, so it follows the original wherever it goes.</summary>
    public static string Variant(PatientKey patient, string tooth, string type, Guid originalId, Guid variantId, string extension) =>
        $"{ImagePrefix(patient, tooth, type, originalId)}/{variantId:D}.{extension}";

    /// <summary>Name inside the previews container: {clinicId}/{patientId}/{tooth}/{type}/{imageId}/{size}.jpg.</summary>
    public static string Preview(PatientKey patient, string tooth, string type, Guid imageId, string size) =>
        $"{PreviewsOf(patient, tooth, type, imageId)}{size}.jpg";

    /// <summary>Prefix under which every preview of one image lives.</summary>
    public static string PreviewsOf(PatientKey patient, string tooth, string type, Guid imageId) => $"{ImagePrefix(patient, tooth, type, imageId)}/";

    /// <summary>
    /// The start of every blob name of one image in either container: {clinicId}/{patientId}/{tooth}/{type}/{imageId}, followed by
    /// '.' and the extension (the original) or '/' (previews, variants). Image ids have a fixed length, so no other image shares it.
    /// </summary>
    public static string ImagePrefix(PatientKey patient, string tooth, string type, Guid imageId) => $"{patient.Path}/{tooth}/{type}/{imageId:D}";

    /// <summary>A blob name under <paramref name="fromPrefix"/> moved under <paramref name="toPrefix"/>.</summary>
    public static string Moved(string name, string fromPrefix, string toPrefix) =>
        name.StartsWith(fromPrefix, StringComparison.Ordinal) ? toPrefix + name[fromPrefix.Length..] : name;

    /// <summary>Prefix under which every blob of one patient lives, in either container.</summary>
    public static string PatientPrefix(PatientKey patient) => $"{patient.Path}/";

    /// <summary>Prefix under which every blob of one clinic lives, in either container.</summary>
    public static string ClinicPrefix(string clinicId) => $"{clinicId}/";

    /// <summary>The path the public API reports: container and name.</summary>
    public static string PublicPath(string container, string name) => $"{container}/{name}";
}
