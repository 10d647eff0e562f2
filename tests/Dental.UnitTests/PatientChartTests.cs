using Dental.Catalog.Store;

namespace Dental.UnitTests;

public class PatientChartTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_each_visible_image_once_by_tooth_and_type_with_the_latest_upload()
    {
        var chart = PatientChart.Count([
            new ChartEntry("11", "xray", At),
            new ChartEntry("11", "xray", At.AddDays(2)),
            new ChartEntry("11", "before", At.AddDays(1)),
            new ChartEntry("36", "xray", At.AddDays(-3)),
        ]);

        Assert.Equal(4, chart.Total);
        Assert.Equal(2, chart.Teeth["11"]["xray"]);
        Assert.Equal(1, chart.Teeth["11"]["before"]);
        Assert.Equal(1, chart.Teeth["36"]["xray"]);
        Assert.Equal(["11", "36"], chart.Teeth.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(At.AddDays(2), chart.LastUploadAt);
    }

    [Fact]
    public void A_patient_without_images_has_an_empty_chart()
    {
        var chart = PatientChart.Count([]);

        Assert.Equal((0, 0, null), (chart.Total, chart.Teeth.Count, chart.LastUploadAt));
    }
}
