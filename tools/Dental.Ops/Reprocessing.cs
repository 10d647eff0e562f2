using System.Text.Json.Nodes;
using Dental.Catalog.Documents;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Ops;

/// <summary>Sends an image through the normal pipeline again (ImageUploaded → Thumbnailer and Catalog), under a fresh event id.</summary>
internal static class Reprocessing
{
    private static readonly string[] CosmosSystemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts"];

    public static ImageUploaded FromDocument(ImageDocument doc) =>
        new(Guid.Parse(doc.Id), doc.PatientId, doc.Tooth!, doc.Notation!, doc.Type!, doc.BlobName!, doc.SizeBytes, doc.ContentType!, doc.Sha256!,
            doc.Width, doc.Height, doc.OriginalFileName, doc.UploadedBy!, doc.UploadedAt ?? DateTimeOffset.UtcNow, doc.TakenAt, doc.Note);

    /// <param name="why">Part of the event id ("restored", "repair"), so the broker's duplicate detection does not drop it.</param>
    public static Task PublishAsync(IEventPublisher publisher, ImageUploaded image, string why, CancellationToken cancellationToken) =>
        publisher.PublishAsync(Topics.Images, ImageUploaded.EventType, $"{image.ImageId:D}:{why}:{DateTimeOffset.UtcNow:yyyyMMddHHmmss}",
            $"patients/{image.PatientId}/images/{image.ImageId:D}", image, cancellationToken);

    /// <summary>A stored document without the properties Cosmos DB adds itself (they differ per account and write).</summary>
    public static JsonObject WithoutSystemProperties(JsonObject document)
    {
        foreach (var property in CosmosSystemProperties)
        {
            document.Remove(property);
        }

        return document;
    }
}
