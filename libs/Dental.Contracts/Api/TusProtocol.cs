namespace Dental.Contracts.Api;

/// <summary>The tus 1.0 protocol's headers and values (tus.io/protocols/resumable-upload), as this server speaks it.</summary>
public static class TusProtocol
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,creation-with-upload,termination,expiration,checksum";
    public const string ContentType = "application/offset+octet-stream";

    public const string Resumable = "Tus-Resumable";
    public const string SupportedVersions = "Tus-Version";
    public const string Extension = "Tus-Extension";
    public const string MaxSize = "Tus-Max-Size";
    public const string ChecksumAlgorithms = "Tus-Checksum-Algorithm";
    public const string UploadLength = "Upload-Length";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";

    /// <summary>The image an upload became, on the response that completes it (and on HEAD afterwards).</summary>
    public const string ImageLocation = "Image-Location";

    /// <summary>"true" when the completed upload was identical to an image already stored for the patient.</summary>
    public const string ImageDuplicate = "Image-Duplicate";

    /// <summary>Not in HTTP's registry: the status tus's checksum extension gives a chunk whose checksum does not match.</summary>
    public const int ChecksumMismatchStatus = 460;

    /// <summary>Every header a browser client reads or sends, for CORS.</summary>
    public static readonly string[] RequestHeaders = [Resumable, UploadLength, UploadOffset, UploadMetadata, UploadChecksum];

    public static readonly string[] ResponseHeaders = [Resumable, SupportedVersions, Extension, MaxSize, ChecksumAlgorithms, UploadLength, UploadOffset,
        UploadMetadata, UploadExpires, ImageLocation, ImageDuplicate];
}
