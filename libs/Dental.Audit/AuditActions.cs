namespace Dental.Audit;

/// <summary>What an audited route does, and the kind of event it is (the event types clinics' compliance reports use).</summary>
public static class AuditActions
{
    public const string PatientsRecent = "patients.recent";
    public const string ImagesList = "images.list";
    public const string ImageRead = "image.read";
    public const string ChartRead = "chart.read";
    public const string ImageContent = "image.content";
    public const string ImagePreview = "image.preview";
    public const string ImagesUpload = "images.upload";
    public const string ImageDelete = "image.delete";
    public const string ImageRestore = "image.restore";
    public const string ImageUpdate = "image.update";
    public const string PatientErase = "patient.erase";
    public const string ErasureReceipt = "patient.erasure-receipt";
    public const string ImageRetentionPurge = "image.retention-purge";
    public const string PatientExport = "patient.export";
    public const string AuditRead = "audit.read";
    public const string AccessReport = "audit.access-report";

    /// <summary>Refusals (401, 403, 404, 429), aggregated at the gateway per actor or address per minute.</summary>
    public const string Refused = "request.refused";

    public static IReadOnlyDictionary<string, string> EventTypeOf { get; } = new Dictionary<string, string>
    {
        [PatientsRecent] = "data_access",
        [ImagesList] = "data_access",
        [ImageRead] = "data_access",
        [ChartRead] = "data_access",
        [ImageContent] = "data_access",
        [ImagePreview] = "data_access",
        [ImagesUpload] = "data_create",
        [ImageDelete] = "data_delete",
        [ImageRestore] = "data_update",
        [ImageUpdate] = "data_update",
        [PatientErase] = "right_to_erasure",
        [ErasureReceipt] = "audit_access",
        [ImageRetentionPurge] = "data_retention_purge",
        [PatientExport] = "data_access",
        [AuditRead] = "audit_access",
        [AccessReport] = "audit_access",
        [Refused] = "access_refused",
    };

    /// <summary>Actions that show a patient's images or their metadata: what a patient's access report lists.</summary>
    public static IReadOnlySet<string> Views { get; } = new HashSet<string> { ImagesList, ImageRead, ChartRead, ImageContent, ImagePreview, PatientExport };

    public static IReadOnlyList<string> All => [.. EventTypeOf.Keys];
}
