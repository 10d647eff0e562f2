using System.ComponentModel.DataAnnotations;

namespace Dental.Upload.Store;

public sealed class UploadRecordsOptions
{
    public const string Section = "UploadRecords";

    /// <summary>The Upload service's own container (in the Storage account the images live in).</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string Container { get; set; } = "upload-records";
}
