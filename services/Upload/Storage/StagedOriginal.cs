using Dental.Contracts.Imaging;

namespace Dental.Upload.Storage;

/// <summary>A file whose bytes are staged as uncommitted blocks: invisible until committed, discarded by the service if never committed.</summary>
public sealed record StagedOriginal(
    Guid ImageId,
    string BlobName,
    IReadOnlyList<string> BlockIds,
    string Sha256,
    long SizeBytes,
    ImageFormat Format,
    int Width,
    int Height,
    string? OriginalFileName);
