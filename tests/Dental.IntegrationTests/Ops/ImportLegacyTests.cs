using System.Security.Cryptography;
using Dental.IntegrationTests.Upload;
using Dental.Ops;
using Dental.Testing;

namespace Dental.IntegrationTests.Ops;

/// <summary>Legacy import through the real Upload service (in-process) and Azurite.</summary>
public class ImportLegacyTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private Dental.Client.DentalApi Api() => Dental.Client.DentalApi.Over(fixture.Factory.CreateClient(), _ => Task.FromResult(TestTokens.For("service")));

    private static (string Root, string Patient) Tree()
    {
        var root = Directory.CreateTempSubdirectory("dental_images").FullName;
        var patient = Guid.NewGuid().ToString();
        void Write(string relative, byte[] bytes)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }

        var photo = TestImages.JpegLike(1200, 900, 5000, seed: patient.GetHashCode());
        Write($"{patient}/11/xray/a.jpg", photo);
        Write($"{patient}/12/before/b.png", TestImages.Png(40, 30));
        Write($"{patient}/21/after/copy-of-a.jpg", photo);
        Write($"{patient}/11/xray/corrupt.jpg", TestImages.Executable());
        Write($"{patient}/19/xray/c.jpg", TestImages.JpegLike(640, 480, 3000, seed: 3));
        Write("notes.txt", "scanned 2019"u8.ToArray());
        return (root, patient);
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task Imports_good_files_reports_duplicates_and_refusals_and_leaves_the_source_untouched()
    {
        var (root, patient) = Tree();
        var source = Hashes(root);
        var journal = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");

        var dry = await new ImportLegacyCommand(Api()).RunAsync(root, null, journal, dryRun: true, null, default);
        Assert.Equal(5, dry.Count(i => i.Outcome == ImportOutcome.WouldImport));
        Assert.Equal(ImportOutcome.Refused, Assert.Single(dry, i => i.File == "notes.txt").Outcome);
        Assert.Empty(await fixture.BlobNamesAsync() is var names ? names.Where(n => n.StartsWith($"{TestTokens.Clinic}/{patient}/", StringComparison.Ordinal)) : []);

        var items = (await new ImportLegacyCommand(Api()).RunAsync(root, null, journal, dryRun: false, null, default)).ToDictionary(i => i.File);

        Assert.Equal(ImportOutcome.Imported, items[$"{patient}/11/xray/a.jpg"].Outcome);
        Assert.Equal(ImportOutcome.Imported, items[$"{patient}/12/before/b.png"].Outcome);
        Assert.Equal(ImportOutcome.Duplicate, items[$"{patient}/21/after/copy-of-a.jpg"].Outcome);
        Assert.Equal(items[$"{patient}/11/xray/a.jpg"].ImageId, items[$"{patient}/21/after/copy-of-a.jpg"].ImageId);
        Assert.Equal(ImportOutcome.Refused, items[$"{patient}/11/xray/corrupt.jpg"].Outcome);
        Assert.Contains("JPEG, PNG, TIFF, WebP, HEIC, AVIF or DICOM", items[$"{patient}/11/xray/corrupt.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(ImportOutcome.Refused, items[$"{patient}/19/xray/c.jpg"].Outcome);
        Assert.Contains("tooth", items[$"{patient}/19/xray/c.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(ImportOutcome.Refused, items["notes.txt"].Outcome);
        Assert.Equal(source, Hashes(root));
        Assert.Equal(2, (await fixture.BlobNamesAsync()).Count(n => n.StartsWith($"{TestTokens.Clinic}/{patient}/", StringComparison.Ordinal) && !n.Contains("/_", StringComparison.Ordinal)));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task An_interrupted_import_resumes_without_duplicates()
    {
        var (root, patient) = Tree();
        var journal = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");
        using var stop = new CancellationTokenSource();
        var seen = 0;
        var interrupt = new SynchronousProgress(_ =>
        {
            if (++seen == 3)
            {
                stop.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImportLegacyCommand(Api()).RunAsync(root, null, journal, false, interrupt, stop.Token));
        var resumed = await new ImportLegacyCommand(Api()).RunAsync(root, null, journal, false, null, default);

        Assert.Equal(6, resumed.Count);
        Assert.Equal(6, File.ReadAllLines(journal).Length);
        Assert.Equal(2, resumed.Count(i => i.Outcome == ImportOutcome.Imported));
        Assert.Equal(2, (await fixture.BlobNamesAsync()).Count(n => n.StartsWith($"{TestTokens.Clinic}/{patient}/", StringComparison.Ordinal) && !n.Contains("/_", StringComparison.Ordinal)));
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task A_flat_folder_is_imported_with_a_mapping(string format)
    {
        var folder = Directory.CreateTempSubdirectory("uploads").FullName;
        var patient = Guid.NewGuid().ToString();
        File.WriteAllBytes(Path.Combine(folder, "IMG_0001.JPG"), TestImages.JpegLike(800, 600, 4000, seed: patient.GetHashCode()));
        File.WriteAllBytes(Path.Combine(folder, "IMG_0002.JPG"), TestImages.JpegLike(800, 600, 4000, seed: patient.GetHashCode() + 1));
        var mapping = Path.Combine(folder, "..", $"mapping-{Guid.NewGuid():N}.{format}");
        File.WriteAllText(mapping, format == "csv"
            ? $"file,patient,tooth,type,notation\nIMG_0001.JPG,{patient},8,before,universal\nIMG_0002.JPG,{patient},q3,xray\n"
            : $$$"""[{"file":"IMG_0001.JPG","patient":"{{{patient}}}","tooth":"8","type":"before","notation":"universal"},{"file":"IMG_0002.JPG","patient":"{{{patient}}}","tooth":"q3","type":"xray"}]""");

        var items = await new ImportLegacyCommand(Api()).RunAsync(folder, mapping, mapping + ".journal", false, null, default);

        Assert.All(items, i => Assert.Equal(ImportOutcome.Imported, i.Outcome));
        var stored = (await fixture.BlobNamesAsync()).Where(n => n.StartsWith($"{TestTokens.Clinic}/{patient}/", StringComparison.Ordinal) && !n.Contains("/_", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(2, stored.Count);
        Assert.Contains(stored, n => n.StartsWith($"{TestTokens.Clinic}/{patient}/11/before/", StringComparison.Ordinal));
        Assert.Contains(stored, n => n.StartsWith($"{TestTokens.Clinic}/{patient}/q3/xray/", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
