namespace Dental.Thumbnailer.Vips;

/// <summary>A libvips operation failed; <see cref="Exception.Message"/> carries libvips' own error text.</summary>
public sealed class VipsException(string operation, string detail) : Exception($"{operation} failed: {detail}")
{
    public string Operation { get; } = operation;

    public string Detail { get; } = detail;
}
