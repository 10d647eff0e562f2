namespace Dental.Contracts.Api;

/// <summary>
/// The free text a client gives with an upload: its file name and the clinician's note. It is personal data,
/// so it never travels in events; the Upload service keeps it on the original blob, where the Catalog reads it.
/// </summary>
public sealed record ImageText(string? OriginalFileName, string? Note)
{
    public static readonly ImageText None = new(null, null);
}
