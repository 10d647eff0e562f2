namespace Dental.Contracts.Events;

public static class Topics
{
    /// <summary>ImageUploaded: work for the Thumbnailer, and the Catalog's new entry.</summary>
    public const string Images = "images";

    /// <summary>
    /// PreviewsReady, LargePreviewReady and ImageRejected, for the Catalog only: kept off <see cref="Images"/> so the Thumbnailer's
    /// subscription holds nothing but work (it is scaled on that backlog) and never receives its own results.
    /// </summary>
    public const string ImageResults = "image-results";

    /// <summary>LargePreviewRequested: repair's backfill for the Thumbnailer, at a lower priority, apart from the work that makes images ready.</summary>
    public const string Renditions = "renditions";

    /// <summary>
    /// What is removed for good: PatientErased and ClinicErased, for every service that stores anything about a patient
    /// (upload, thumbnailer, catalog), their ErasureReported, for the Catalog's receipt, and ImagePurged (retention), for the
    /// owners of an image's blobs. Each service skips what is not its part.
    /// </summary>
    public const string Patients = "patients";
}
