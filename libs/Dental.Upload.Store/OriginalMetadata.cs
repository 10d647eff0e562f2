using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.Upload.Store;

/// <summary>
/// What the Upload service writes on each original besides its bytes, and how to read it back: the Catalog
/// takes the client's file name and note from here (they stay out of events), and the operations tool
/// catalogues an original the catalog lost. Metadata is ASCII-only and at most 8 KiB: the uploader is escaped,
/// free text is base64 of its UTF-8 (the upload limits keep the worst case under the budget); the file name
/// never appears in the blob name.
/// </summary>
public static class OriginalMetadata
{
    /// <summary>Upper bound of a note in UTF-8 bytes, so that the worst case (note, 255-character file name, the rest) fits Azure's 8 KiB of metadata.</summary>
    public const int MaxNoteBytes = 4096;

    public static Dictionary<string, string> For(ImageUploaded image, ImageText text)
    {
        var metadata = new Dictionary<string, string>
        {
            ["imageid"] = image.ImageId.ToString("D"),
            ["sha256"] = image.Sha256,
            ["uploadedby"] = Uri.EscapeDataString(image.UploadedBy),
            ["uploadedat"] = image.UploadedAt.ToString("O"),
            ["notation"] = image.Notation,
        };
        if (text.OriginalFileName is not null)
        {
            metadata["originalfilename"] = Encode(text.OriginalFileName);
        }

        if (text.Note is not null)
        {
            metadata["note"] = Encode(text.Note);
        }

        if (image.TakenAt is { } takenAt)
        {
            metadata["takenat"] = takenAt.ToString("O");
        }

        if (image.Variant is { } variant)
        {
            metadata["variantkind"] = variant.Kind;
            metadata["producer"] = Uri.EscapeDataString(variant.Producer);
        }

        return metadata;
    }

    /// <summary>Rewrites what a correction changes on an original's metadata (its tooth and type are in its name).</summary>
    public static void Correct(IDictionary<string, string> metadata, ImageCorrection correction)
    {
        metadata["notation"] = correction.Notation;
        if (correction.TakenAt is { } takenAt)
        {
            metadata["takenat"] = takenAt.ToString("O");
        }
        else
        {
            metadata.Remove("takenat");
        }
    }

    /// <summary>The file name and note kept on a stored original, read with one request; null when the original is not stored.</summary>
    public static async Task<ImageText?> ReadTextAsync(BlobClient original, CancellationToken cancellationToken)
    {
        try
        {
            return ReadText((await original.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The client's file name and note kept on an original.</summary>
    public static ImageText ReadText(IDictionary<string, string> metadata) =>
        new(metadata.TryGetValue("originalfilename", out var file) ? Decode(file) : null, metadata.TryGetValue("note", out var note) ? Decode(note) : null);

    /// <summary>
    /// The upload of a stored original, from its name ({clinic}/{patient}/{tooth}/{type}/{id}.{ext}, a variant's
    /// …/{originalId}/{id}.{ext}) and properties. The pixel size is not kept there.
    /// </summary>
    public static ImageUploaded Read(string blobName, BlobProperties properties)
    {
        var parts = blobName.Split('/');
        var metadata = properties.Metadata;
        string? Meta(string key) => metadata.TryGetValue(key, out var value) ? value : null;
        DateTimeOffset? Time(string key) => Meta(key) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;
        return new ImageUploaded(
            Guid.Parse(Path.GetFileNameWithoutExtension(parts[^1])), parts[0], parts[1], parts[2], Meta("notation") ?? ToothNotation.Fdi, parts[3], blobName,
            properties.ContentLength, properties.ContentType, Meta("sha256") ?? "", 0, 0,
            Meta("uploadedby") is { } by ? Uri.UnescapeDataString(by) : "repair",
            Time("uploadedat") ?? properties.CreatedOn, Time("takenat"))
        {
            Variant = parts.Length == 6
                ? new VariantFacts(Guid.Parse(parts[4]), Meta("variantkind") ?? VariantKind.Other, Meta("producer") is { } producer ? Uri.UnescapeDataString(producer) : "repair")
                : null,
        };
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Decode(string value) => Encoding.UTF8.GetString(Convert.FromBase64String(value));
}
