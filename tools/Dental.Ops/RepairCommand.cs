using System.Globalization;
using Dental.Catalog;
using Dental.Catalog.Documents;
using Dental.Catalog.Persistence;
using Dental.Contracts;
using Dental.Contracts.Events;
using Microsoft.Extensions.Options;

namespace Dental.Ops;

public sealed record RepairAction(string Kind, string Subject, string Action);

/// <summary>
/// Fixes what verify finds: missing previews are rendered again and orphan originals are catalogued,
/// both through the normal event path; a catalog entry whose original is gone is removed (and uncounted).
/// A corrupt original is only reported: restoring it needs the backup.
/// </summary>
public sealed class RepairCommand(OpsServices ops)
{
    public async Task<IReadOnlyList<RepairAction>> RunAsync(bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var report = await new VerifyCommand(ops).RunAsync(progress, cancellationToken);
        var documents = report.Documents.ToDictionary(d => d.Id);
        var store = new DocumentStore(ops.Images, new DocumentSizeGuard(Options.Create(new CatalogOptions())));
        var actions = new List<RepairAction>();
        foreach (var finding in report.Findings)
        {
            var action = finding.Kind switch
            {
                FindingKind.PreviewsMissing => "re-render previews",
                FindingKind.OrphanBlob => "catalog the original",
                FindingKind.OriginalMissing => "remove the catalog entry",
                _ => "none (restore the original from a backup)",
            };
            actions.Add(new RepairAction(finding.Kind, finding.Subject, action));
            if (dryRun)
            {
                continue;
            }

            switch (finding.Kind)
            {
                case FindingKind.PreviewsMissing:
                    await Reprocessing.PublishAsync(ops.Publisher, Reprocessing.FromDocument(documents[finding.Subject]), "repair", cancellationToken);
                    break;
                case FindingKind.OrphanBlob:
                    await Reprocessing.PublishAsync(ops.Publisher, await FromBlobAsync(finding.Subject, cancellationToken), "repair", cancellationToken);
                    break;
                case FindingKind.OriginalMissing:
                    var doc = documents[finding.Subject];
                    var deleted = await store.UpdateImageAsync(doc.PatientId, doc.Id, d => d is null ? null : ImageDocumentReducer.Delete(d, DateTimeOffset.UtcNow), cancellationToken);
                    if (deleted is not null)
                    {
                        await new SummaryReconciler(store).ReconcileAsync(deleted, cancellationToken);
                    }

                    await ops.Images.DeleteItemStreamAsync(doc.Id, new Microsoft.Azure.Cosmos.PartitionKey(doc.PatientId), cancellationToken: cancellationToken);
                    break;
            }
        }

        return actions;
    }

    /// <summary>Rebuilds an original's ImageUploaded from its name ({patient}/{tooth}/{type}/{id}.{ext}) and the metadata the Upload service wrote.</summary>
    private async Task<ImageUploaded> FromBlobAsync(string name, CancellationToken cancellationToken)
    {
        var parts = name.Split('/');
        var properties = (await ops.Containers.Originals.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        var metadata = properties.Metadata;
        string? Meta(string key) => metadata.TryGetValue(key, out var value) ? value : null;
        DateTimeOffset? Time(string key) => Meta(key) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;
        return new ImageUploaded(
            Guid.Parse(Path.GetFileNameWithoutExtension(parts[3])), parts[0], parts[1], Meta("notation") ?? ToothNotation.Fdi, parts[2], name,
            properties.ContentLength, properties.ContentType, Meta("sha256") ?? "", 0, 0,
            Meta("originalfilename") is { } file ? Uri.UnescapeDataString(file) : null,
            Meta("uploadedby") is { } by ? Uri.UnescapeDataString(by) : "repair",
            Time("uploadedat") ?? properties.CreatedOn, Time("takenat"), null);
    }
}
