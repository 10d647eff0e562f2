namespace Dental.ServiceDefaults.OpenApi;

/// <summary>The API's operation groups, with what each holds (the document's tag list).</summary>
public static class ApiTags
{
    public const string Uploads = "Uploads";
    public const string Images = "Images";
    public const string Patients = "Patients";
    public const string Audit = "Audit";

    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        [Uploads] = "Storing originals: multipart uploads with validation, deduplication and Idempotency-Key, and resumable uploads (tus 1.0) for large files and unreliable connections.",
        [Images] = "A patient's images: metadata, lists, originals and previews, soft delete and restore.",
        [Patients] = "A patient as a whole: the dental chart and erasure.",
        [Audit] = "The clinic's audit trail (who did what to which patient's images, and refusals) and a patient's access report; for auditors and admins.",
    };
}
