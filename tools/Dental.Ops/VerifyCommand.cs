using Azure.Storage.Blobs.Models;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;

namespace Dental.Ops;

public static class FindingKind
{
    public const string OriginalMissing = "original-missing";
    public const string OriginalCorrupt = "original-corrupt";
    public const string PreviewsMissing = "previews-missing";

    /// <summary>A ready image without its viewing preview: stored before it existed, or its render was lost.</summary>
    public const string LargePreviewMissing = "large-preview-missing";
    public const string OrphanBlob = "orphan-blob";
}

/// <summary>One problem verify found: its kind, the patient (clinicId/patientId), what (an image id or a blob name) and the detail.</summary>
public sealed record Finding(string Kind, string Patient, string Subject, string Detail);

public sealed record VerifyReport(int Images, int Originals, IReadOnlyList<Finding> Findings, IReadOnlyList<ImageDocument> Documents);

/// <summary>
/// Checks the catalog against Blob Storage: every catalogued original exists with its recorded SHA-256,
/// ready images have their small and medium previews (and their large one), and no original exists without a catalog entry.
/// </summary>
public sealed class VerifyCommand(OpsServices ops)
{
    public async Task<VerifyReport> RunAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var documents = new List<ImageDocument>();
        await foreach (var doc in ops.Documents.AllUploadedImagesAsync(cancellationToken))
        {
            documents.Add(doc);
        }

        var findings = new List<Finding>();
        foreach (var doc in documents)
        {
            progress?.Report(doc.Id);
            var upload = doc.Upload!;
            var sha = await OpsServices.Sha256Async(ops.Containers.Originals.GetBlobClient(upload.BlobName), cancellationToken);
            if (sha is null)
            {
                findings.Add(new Finding(FindingKind.OriginalMissing, doc.Patient.Path, doc.Id, $"catalogued, but {upload.BlobName} is not stored"));
                continue;
            }

            if (sha != upload.Sha256)
            {
                findings.Add(new Finding(FindingKind.OriginalCorrupt, doc.Patient.Path, doc.Id, $"SHA-256 is {sha}, the catalog recorded {upload.Sha256}"));
            }

            if (doc.Status == ImageStatus.Ready && await MissingPreviewsAsync(doc, cancellationToken) is { Count: > 0 } missing)
            {
                findings.Add(missing.SequenceEqual([PreviewSize.Large])
                    ? new Finding(FindingKind.LargePreviewMissing, doc.Patient.Path, doc.Id, "missing: large")
                    : new Finding(FindingKind.PreviewsMissing, doc.Patient.Path, doc.Id, "missing: " + string.Join(", ", missing)));
            }
        }

        var catalogued = documents.Select(d => d.Upload!.BlobName).ToHashSet();
        var originals = 0;
        await foreach (var blob in ops.Containers.Originals.GetBlobsAsync(new GetBlobsOptions(), cancellationToken))
        {
            originals++;
            if (!catalogued.Contains(blob.Name))
            {
                findings.Add(new Finding(FindingKind.OrphanBlob, string.Join('/', blob.Name.Split('/').Take(2)), blob.Name, "stored, but not in the catalog"));
            }
        }

        return new VerifyReport(documents.Count, originals, findings, documents);
    }

    private async Task<List<string>> MissingPreviewsAsync(ImageDocument doc, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        // Variants are shown over their original at small and medium: they have no large preview.
        foreach (var size in PreviewSize.All.Where(s => doc.Upload!.Variant is null || s != PreviewSize.Large))
        {
            var name = doc.Upload!.PreviewName(size);
            if (!(await ops.Containers.Previews.GetBlobClient(name).ExistsAsync(cancellationToken)).Value)
            {
                missing.Add(size);
            }
        }

        return missing;
    }
}
