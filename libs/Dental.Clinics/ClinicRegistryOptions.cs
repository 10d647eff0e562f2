using System.ComponentModel.DataAnnotations;

namespace Dental.Clinics;

public sealed class ClinicRegistryOptions
{
    public const string Section = "Clinics";

    /// <summary>The Blob container holding one small JSON record per clinic.</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{3,63}$")]
    public string Container { get; set; } = "clinics";

    /// <summary>How long an answer of the registry is reused: a suspension takes effect within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Clinics registered at start when missing, for local runs and tests (the app host seeds clinic-a and clinic-b); in
    /// Azure the operator registers each clinic with the operations tool and this stays empty.
    /// </summary>
    public string[] Seed { get; set; } = [];
}
