using System.Globalization;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;
using Dental.Contracts.Events;

namespace Dental.Upload.Store;

/// <summary>
/// What the Upload service writes on each original besides its bytes, and how to read an upload back from
/// an original alone (the operations tool catalogues an original the catalog lost). Metadata is ASCII-only:
/// the uploader and file name are escaped; the file name never appears in the blob name.
/// </summary>
public static class OriginalMetadata
{
    public static Dictionary<string, string> For(ImageUploaded image)
    {
        var metadata = new Dictionary<string, string>
        {
            ["imageid"] = image.ImageId.ToString("D"),
            ["sha256"] = image.Sha256,
            ["uploadedby"] = Uri.EscapeDataString(image.UploadedBy),
            ["uploadedat"] = image.UploadedAt.ToString("O"),
            ["notation"] = image.Notation,
        };
        if (image.OriginalFileName is not null)
        {
            metadata["originalfilename"] = Uri.EscapeDataString(image.OriginalFileName);
        }

        if (image.TakenAt is { } takenAt)
        {
            metadata["takenat"] = takenAt.ToString("O");
        }

        return metadata;
    }

    /// <summary>The upload of a stored original, from its name ({patient}/{tooth}/{type}/{id}.{ext}) and properties. Pixel size and note are not kept there.</summary>
    public static ImageUploaded Read(string blobName, BlobProperties properties)
    {
        var parts = blobName.Split('/');
        var metadata = properties.Metadata;
        string? Meta(string key) => metadata.TryGetValue(key, out var value) ? value : null;
        DateTimeOffset? Time(string key) => Meta(key) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;
        return new ImageUploaded(
            Guid.Parse(Path.GetFileNameWithoutExtension(parts[3])), parts[0], parts[1], Meta("notation") ?? ToothNotation.Fdi, parts[2], blobName,
            properties.ContentLength, properties.ContentType, Meta("sha256") ?? "", 0, 0,
            Meta("originalfilename") is { } file ? Uri.UnescapeDataString(file) : null,
            Meta("uploadedby") is { } by ? Uri.UnescapeDataString(by) : "repair",
            Time("uploadedat") ?? properties.CreatedOn, Time("takenat"), null);
    }
}
