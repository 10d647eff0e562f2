using Dental.Audit;

namespace Dental.UnitTests;

public class AuditQueryTests
{
    private static AuditRecord Record(DateTimeOffset time, string? patient = "p-1", string actor = "dr-1", string action = AuditActions.ImageRead) => new()
    {
        Id = Guid.CreateVersion7(time).ToString("D"),
        Time = time,
        ClinicId = "clinic-a",
        Actor = actor,
        Action = action,
        EventType = AuditActions.EventTypeOf[action],
        PatientId = patient,
        ImageIds = [],
        Outcome = 200,
        Service = "Dental.Catalog",
        Count = 1,
    };

    [Fact]
    public void Blob_names_put_a_clinics_records_under_its_own_prefix_by_month_and_hour_and_read_back_their_hour()
    {
        var time = new DateTimeOffset(2026, 3, 9, 14, 37, 12, TimeSpan.FromHours(2));
        var name = AuditBlobNames.Blob("clinic-a", time, "dental-catalog-0193", 2);
        Assert.Equal("clinic-a/2026-03/09T12/dental-catalog-0193-002.jsonl", name);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero), AuditBlobNames.HourOf(name));
        Assert.Equal("_platform", AuditBlobNames.Scope(null));
        Assert.Null(AuditBlobNames.HourOf("clinic-a/notes.txt"));
    }

    [Fact]
    public void A_cursor_survives_its_token_and_admits_only_strictly_older_records_in_a_total_order()
    {
        var time = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var records = new[] { Record(time), Record(time), Record(time.AddSeconds(-1)), Record(time.AddSeconds(1)) }.ToList();
        records.Sort(AuditCursor.Order.NewestFirst);
        Assert.Equal(time.AddSeconds(1), records[0].Time);
        Assert.True(string.CompareOrdinal(records[1].Id, records[2].Id) > 0);

        var cursor = new AuditCursor(records[1].Time, records[1].Id);
        Assert.True(AuditCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.Equal(records.Skip(2).Select(r => r.Id), records.Where(decoded!.IsAfter).Select(r => r.Id));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("MTIz")] // "123": no id
    [InlineData("LTF8MDE5MzAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAw")] // negative ticks
    public void A_token_this_api_did_not_issue_is_refused(string token) => Assert.False(AuditCursor.TryDecode(token, out _));

    [Fact]
    public void A_query_matches_its_span_patient_actor_and_action_only()
    {
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var query = new AuditQuery("clinic-a", now.AddHours(-1), now, "p-1", "dr-1", AuditActions.ImageRead);
        Assert.True(query.Matches(Record(now.AddMinutes(-5))));
        Assert.False(query.Matches(Record(now.AddHours(-2))));
        Assert.False(query.Matches(Record(now.AddMinutes(-5), patient: "p-2")));
        Assert.False(query.Matches(Record(now.AddMinutes(-5), actor: "dr-2")));
        Assert.False(query.Matches(Record(now.AddMinutes(-5), action: AuditActions.ImageContent)));
        Assert.True(new AuditQuery("clinic-a", now.AddHours(-1), now, null, null, null).Matches(Record(now, patient: null)));
    }

    [Fact]
    public void Every_action_has_an_event_type_and_views_are_reads_of_a_patients_data()
    {
        Assert.All(AuditActions.Views, v => Assert.Equal("data_access", AuditActions.EventTypeOf[v]));
        Assert.DoesNotContain(AuditActions.PatientsRecent, AuditActions.Views);
        Assert.Equal(AuditActions.EventTypeOf.Count, AuditActions.All.Distinct().Count());
    }
}
