namespace Dental.Contracts;

/// <summary>
/// Blob naming. Names carry opaque ids only: never a person's name, never the client's file name
/// (file names can carry personal data; it is kept in metadata instead).
/// </summary>
public static class BlobNames
{
    public const string OriginalsContainer = "originals";
    public const string PreviewsContainer = "previews";

    /// <summary>Name inside the originals container: {patientId}/{tooth}/{type}/{imageId}.{ext}.</summary>
    public static string Original(string patientId, string tooth, string type, Guid imageId, string extension) =>
        $"{patientId}/{tooth}/{type}/{imageId:D}.{extension}";

    /// <summary>Name inside the previews container: {patientId}/{tooth}/{type}/{imageId}/{size}.jpg.</summary>
    public static string Preview(string patientId, string tooth, string type, Guid imageId, string size) =>
        $"{patientId}/{tooth}/{type}/{imageId:D}/{size}.jpg";

    /// <summary>Prefix under which every blob of one patient lives, in either container.</summary>
    public static string PatientPrefix(string patientId) => $"{patientId}/";

    /// <summary>The path the public API reports: container and name.</summary>
    public static string PublicPath(string container, string name) => $"{container}/{name}";
}
