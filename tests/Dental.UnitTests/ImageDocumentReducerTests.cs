using Dental.Catalog.Documents;
using Dental.Catalog.Persistence;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.UnitTests;

public class ImageDocumentReducerTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static ImageUploaded Uploaded(DateTimeOffset? takenAt = null) =>
        new(Id, "p-1", "11", "fdi", "xray", "p-1/11/xray/x.jpg", 10, "image/jpeg", "abc", 800, 600, "a.jpg", "dr", At, takenAt, null);

    private static PreviewsReady Ready() =>
        new(Id, "p-1", 800, 600, new Dictionary<string, PreviewInfo> { ["small"] = new("s", 200, 150, 5) }, At.AddSeconds(2));

    private static ImageRejected Rejected() => new(Id, "p-1", "p-1/11/xray/x.jpg", RejectionReason.Corrupt, "bad", At.AddSeconds(3));

    [Fact]
    public void Upload_creates_a_visible_processing_document_sorted_by_taken_time()
    {
        var doc = ImageDocumentReducer.Apply(null, Uploaded(takenAt: At.AddDays(-1)));

        Assert.True(doc.Uploaded);
        Assert.Equal(ImageStatus.Processing, doc.Status);
        Assert.StartsWith("2026-11-20T10:00:00.0000000Z|", doc.SortKey, StringComparison.Ordinal);
        Assert.Equal("11/xray", doc.ShouldCountAs);
    }

    [Fact]
    public void The_same_event_again_returns_the_same_instance()
    {
        var doc = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Uploaded()), Ready());

        Assert.Same(doc, ImageDocumentReducer.Apply(doc, Uploaded()));
        Assert.Same(doc, ImageDocumentReducer.Apply(doc, Ready()));
    }

    [Fact]
    public void Any_order_of_events_ends_in_the_same_state_and_status_never_regresses()
    {
        var inOrder = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Uploaded()), Ready());
        var reversed = ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Ready()), Uploaded());

        Assert.Equal((ImageStatus.Ready, true, 1), (reversed.Status, reversed.Uploaded, reversed.Previews!.Count));
        Assert.Equal(inOrder.SortKey, reversed.SortKey);
        Assert.Equal(ImageStatus.Ready, ImageDocumentReducer.Apply(inOrder, Rejected()).Status);
        Assert.Equal(ImageStatus.Failed, ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(null, Rejected()), Ready()).Status);
        Assert.Null(ImageDocumentReducer.Apply(null, Ready()).ShouldCountAs);
    }

    [Fact]
    public void Delete_and_restore_change_what_is_counted()
    {
        var doc = ImageDocumentReducer.Apply(null, Uploaded());
        var deleted = ImageDocumentReducer.Delete(doc, At);

        Assert.Null(deleted.ShouldCountAs);
        Assert.Same(deleted, ImageDocumentReducer.Delete(deleted, At.AddHours(1)));
        Assert.Equal("11/xray", ImageDocumentReducer.Restore(deleted, At).ShouldCountAs);
    }

    [Fact]
    public void A_summary_change_applies_once_however_often_it_is_delivered()
    {
        var summary = new SummaryDocument { PatientId = "p-1" };
        var add = new PendingCount("op-1", null, "11/xray");
        var move = new PendingCount("op-2", "11/xray", "12/before");

        var once = SummaryReconciler.Apply(summary, add, At);
        Assert.Same(once, SummaryReconciler.Apply(once, add, At));
        var moved = SummaryReconciler.Apply(once, move, At);

        Assert.Equal(1, moved.Total);
        Assert.False(moved.Counts.ContainsKey("11"));
        Assert.Equal(1, moved.Counts["12"]["before"]);
        Assert.Equal(0, SummaryReconciler.Apply(moved, new PendingCount("op-3", "12/before", null), At).Total);
    }

    [Fact]
    public void The_summary_remembers_a_bounded_number_of_operations()
    {
        var summary = new SummaryDocument { PatientId = "p-1" };
        for (var i = 0; i < SummaryDocument.RememberedOperations + 50; i++)
        {
            summary = SummaryReconciler.Apply(summary, new PendingCount($"op-{i}", null, "11/xray"), At);
        }

        Assert.Equal(SummaryDocument.RememberedOperations, summary.AppliedOperations.Count);
        Assert.Equal(SummaryDocument.RememberedOperations + 50, summary.Total);
    }
}
