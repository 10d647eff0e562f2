using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.UnitTests;

public class ImageDocumentReducerTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static ImageUploaded Uploaded(DateTimeOffset? takenAt = null) =>
        new(Id, "c-1", "p-1", "11", "fdi", "xray", "c-1/p-1/11/xray/x.jpg", 10, "image/jpeg", "abc", 800, 600, "dr", At, takenAt);

    private static readonly ImageText Text = new("a.jpg", "note");

    private static PreviewsReady Ready() =>
        new(Id, "c-1", "p-1", 800, 600, new Dictionary<string, PreviewInfo> { ["small"] = new("s", 200, 150, 5) }, At.AddSeconds(2));

    private static ImageRejected Rejected() => new(Id, "c-1", "p-1", "c-1/p-1/11/xray/x.jpg", RejectionReason.Corrupt, "bad", At.AddSeconds(3));

    [Fact]
    public void Upload_creates_a_visible_processing_document_sorted_by_taken_time()
    {
        var doc = ImageDocumentReducer.Apply(null, Uploaded(takenAt: At.AddDays(-1)), Text);

        Assert.True(doc.Uploaded);
        Assert.Equal(ImageStatus.Processing, doc.Status);
        Assert.StartsWith("2026-11-20T10:00:00.0000000Z|", doc.SortKey, StringComparison.Ordinal);
        Assert.Equal(Uploaded(takenAt: At.AddDays(-1)), doc.Upload);
    }

    [Fact]
    public void The_same_event_again_returns_the_same_instance()
    {
        var doc = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Uploaded(), Text), Ready());

        Assert.Same(doc, ImageDocumentReducer.Apply(doc, Uploaded(), Text));
        Assert.Same(doc, ImageDocumentReducer.Apply(doc, Ready()));
    }

    [Fact]
    public void Any_order_of_events_ends_in_the_same_state_and_status_never_regresses()
    {
        var inOrder = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Uploaded(), Text), Ready());
        var reversed = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Ready()), Uploaded(), Text);

        Assert.Equal((ImageStatus.Ready, true, 1), (reversed.Status, reversed.Uploaded, reversed.Previews!.Count));
        Assert.Equal(inOrder.SortKey, reversed.SortKey);
        Assert.Equal(ImageStatus.Ready, ImageDocumentReducer.Apply(inOrder, Rejected()).Status);
        Assert.Equal(ImageStatus.Failed, ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Rejected()), Ready()).Status);
        Assert.False(ImageDocumentReducer.Apply(null, Ready()).Uploaded);
    }

    [Fact]
    public void Delete_and_restore_are_idempotent()
    {
        var doc = ImageDocumentReducer.Apply(null, Uploaded(), Text);
        var deleted = ImageDocumentReducer.Delete(doc, At);

        Assert.Equal(At, deleted.DeletedAt);
        Assert.Same(deleted, ImageDocumentReducer.Delete(deleted, At.AddHours(1)));
        var restored = ImageDocumentReducer.Restore(deleted, At.AddHours(2));
        Assert.Null(restored.DeletedAt);
        Assert.Equal(At.AddHours(2), restored.History.RestoredAt);
        Assert.Same(restored, ImageDocumentReducer.Restore(restored, At.AddHours(3)));
    }

    private static LargePreviewReady Large() => new(Id, "c-1", "p-1", new PreviewInfo("l", 1600, 1200, 50), "c-1/p-1/11/xray/x.jpg", At.AddSeconds(4));

    [Fact]
    public void The_large_preview_is_added_without_changing_the_status_in_either_order()
    {
        var uploaded = ImageDocumentReducer.Apply(null, Uploaded(), Text);

        var largeFirst = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(uploaded, Large()), Ready());
        var readyFirst = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(uploaded, Ready()), Large());

        Assert.Equal(ImageStatus.Processing, ImageDocumentReducer.Apply(uploaded, Large()).Status);
        foreach (var doc in new[] { largeFirst, readyFirst })
        {
            Assert.Equal(ImageStatus.Ready, doc.Status);
            Assert.Equal(["large", "small"], doc.Previews!.Keys.Order());
        }

        Assert.Same(readyFirst, ImageDocumentReducer.Apply(readyFirst, Large()));
    }

    [Fact]
    public void Only_the_uploaded_images_document_at_rest_vouches_for_previews_at_the_names_the_upload_gives_them()
    {
        var upload = Uploaded();
        var doc = ImageDocumentReducer.Apply(null, upload, Text);
        Dictionary<string, PreviewInfo> Named(string name) => new() { ["small"] = new(name, 200, 150, 5) };
        var placed = Named(upload.PreviewName("small"));

        Assert.True(ImageDocumentReducer.VouchesFor(doc, placed));
        Assert.True(ImageDocumentReducer.VouchesFor(ImageDocumentReducer.Delete(doc, At), placed));
        // Moved since, or about to be: only the blob itself can tell.
        Assert.False(ImageDocumentReducer.VouchesFor(doc, Named(upload.PreviewName("medium"))));
        Assert.False(ImageDocumentReducer.VouchesFor(doc with { Upload = upload with { Tooth = "21" } }, placed));
        Assert.False(ImageDocumentReducer.VouchesFor(doc with { Correction = new PendingCorrection(Guid.NewGuid(), "11", "xray", At) }, placed));
        Assert.False(ImageDocumentReducer.VouchesFor(doc with { PurgingAt = At }, placed));
        // No document, or a stub left by an early event: nothing proves the upload happened.
        Assert.False(ImageDocumentReducer.VouchesFor(null, placed));
        Assert.False(ImageDocumentReducer.VouchesFor(ImageDocumentReducer.Apply(null, Ready()), placed));
        // PreviewsReady carries all three sizes: each must be at its own name.
        var all = PreviewSize.All.ToDictionary(size => size, size => new PreviewInfo(upload.PreviewName(size), 200, 150, 5));
        Assert.True(ImageDocumentReducer.VouchesFor(doc, all));
        Assert.False(ImageDocumentReducer.VouchesFor(doc, new Dictionary<string, PreviewInfo>(all) { [PreviewSize.Large] = all[PreviewSize.Medium] }));
    }
}
