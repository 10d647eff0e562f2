using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dental.Contracts.Api;
using Dental.Testing;

namespace Dental.IntegrationTests.Upload;

/// <summary>
/// What a hostile client sends straight to the Upload service: every request is refused with a problem
/// detail (never a 5xx) and leaves nothing behind. The same classes run through the gateway in the
/// end-to-end tests.
/// </summary>
public class HostileUploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private static readonly byte[] Photo = JpegFixtures.Encode(TestImages.Png(64, 48), 64);

    public static TheoryData<string> ControlCharacterIds => ["abc%0A", "abc%0D", "%0Aabc", "abc%09def", "abc%E2%80%A8", "abc%C2%A0"];

    [Theory]
    [MemberData(nameof(ControlCharacterIds))]
    public async Task A_patient_id_with_a_control_or_separator_character_is_refused_and_nothing_is_stored(string patientId)
    {
        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patientId}/images", UploadForm.For("11", "xray", Photo).Build());

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidField);
        var id = Uri.UnescapeDataString(patientId);
        Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.StartsWith(id, StringComparison.Ordinal) || n.StartsWith(id.Trim(), StringComparison.Ordinal));
    }

    public static TheoryData<int, int> FieldFloods => new()
    {
        { 17, 10 },          // more fields than a form has
        { 6_000, 16 },       // the reported flood, field count
        { 4, 15 * 1024 },    // few fields, too many characters in all
    };

    [Theory]
    [MemberData(nameof(FieldFloods))]
    public async Task A_flood_of_form_fields_is_refused_with_413_before_any_file_is_read(int count, int length)
    {
        var patient = Guid.NewGuid().ToString();
        var form = new UploadForm().Field("tooth", "11").Field("type", "xray");
        for (var i = 0; i < count; i++)
        {
            form.Field($"x{i}", new string('a', length));
        }

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images", form.File(Photo).Build());

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.FormTooLarge);
        Assert.DoesNotContain(await fixture.BlobNamesAsync(), n => n.StartsWith(patient, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "no closing boundary", "--b\r\nContent-Disposition: form-data; name=\"tooth\"\r\n\r\n11\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc" },
        { "another boundary", "--other\r\nContent-Disposition: form-data; name=\"tooth\"\r\n\r\n11\r\n--other--\r\n" },
        { "oversized part header", "--b\r\nContent-Disposition: form-data; name=\"tooth\"\r\nX-Filler: " + new string('h', 20 * 1024) + "\r\n\r\n11\r\n--b--\r\n" },
        { "too many part headers", "--b\r\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"X-H{i}: v\r\n")) + "Content-Disposition: form-data; name=\"tooth\"\r\n\r\n11\r\n--b--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_multipart_is_a_400_problem_not_a_500(string why, string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await fixture.Client().PostAsync($"/api/v1/patients/{Guid.NewGuid()}/images", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string?> BadSubjects => [null, "", "dr who", "dr-who\n", new string('s', 129)];

    [Theory]
    [MemberData(nameof(BadSubjects))]
    public async Task A_token_without_a_plain_subject_is_refused(string? subject)
    {
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.WithSubject("clinician", subject));

        var response = await client.PostAsync($"/api/v1/patients/{Guid.NewGuid()}/images", UploadForm.For("11", "xray", Photo).Build());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(type, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }
}
