using Dental.Contracts.Imaging;

namespace Dental.Upload.Storage;

/// <summary>
/// A file ready to be committed, invisible until then: staged as uncommitted blocks (discarded by the service
/// if never committed), or, when it fits in the two block buffers, held in <see cref="Content"/> to be written in one request.
/// </summary>
public sealed record StagedOriginal(
    Guid ImageId,
    string BlobName,
    IReadOnlyList<string> BlockIds,
    BinaryData? Content,
    string Sha256,
    long SizeBytes,
    ImageFormat Format,
    int Width,
    int Height,
    string? OriginalFileName);
