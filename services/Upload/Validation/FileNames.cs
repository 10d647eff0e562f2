namespace Dental.Upload.Validation;

public static class FileNames
{
    /// <summary>The client's file name without any directory part, at most 255 characters (kept in metadata only, never in a blob name).</summary>
    public static string? WithoutDirectory(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var name = raw[(raw.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name.Length == 0 ? null : name[..Math.Min(name.Length, 255)];
    }
}
