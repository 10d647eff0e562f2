using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Upload.Store;

namespace Dental.Ops;

public sealed record RepairAction(string Kind, string Subject, string Action);

/// <summary>
/// Fixes what verify finds: missing previews are rendered again (a missing large one alone, on its own lower-priority
/// topic: the backfill for images stored before it existed) and orphan originals are catalogued,
/// both through the normal event path; a catalog entry whose original is gone is removed.
/// A corrupt original is only reported: restoring it needs the backup.
/// </summary>
public sealed class RepairCommand(OpsServices ops)
{
    public async Task<IReadOnlyList<RepairAction>> RunAsync(bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var report = await new VerifyCommand(ops).RunAsync(progress, cancellationToken);
        var documents = report.Documents.ToDictionary(d => d.Id);
        var actions = new List<RepairAction>();
        foreach (var finding in report.Findings)
        {
            var action = finding.Kind switch
            {
                FindingKind.PreviewsMissing => "re-render previews",
                FindingKind.LargePreviewMissing => "render the large preview",
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
                    await Reprocessing.PublishAsync(ops.Publisher, documents[finding.Subject].Upload!, "repair", cancellationToken);
                    break;
                case FindingKind.LargePreviewMissing:
                    await Reprocessing.RequestLargeAsync(ops.Publisher, documents[finding.Subject].Upload!, cancellationToken);
                    break;
                case FindingKind.OrphanBlob:
                    await Reprocessing.PublishAsync(ops.Publisher, await FromBlobAsync(finding.Subject, cancellationToken), "repair", cancellationToken);
                    break;
                case FindingKind.OriginalMissing:
                    await ops.Documents.DeleteAsync(PatientKey.Parse(finding.Patient), finding.Subject, cancellationToken);
                    break;
            }
        }

        return actions;
    }

    private async Task<ImageUploaded> FromBlobAsync(string name, CancellationToken cancellationToken) =>
        OriginalMetadata.Read(name, (await ops.Containers.Originals.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).Value);
}
