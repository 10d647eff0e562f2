using System.Net;
using System.Text.Json.Nodes;
using Dental.IntegrationTests.Catalog;
using Dental.IntegrationTests.Upload;

namespace Dental.IntegrationTests.Contract;

/// <summary>Each service's own OpenAPI document, as the gateway merges it: anonymous, and truthful about what the service does.</summary>
public class ServiceDocumentTests(CatalogFixture catalog, UploadFixture upload) : IClassFixture<CatalogFixture>, IClassFixture<UploadFixture>
{
    private static async Task<JsonObject> DocumentAsync(HttpClient client)
    {
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"openapi-{client.BaseAddress!.Port}-{Guid.NewGuid():N}.json"), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task The_upload_document_describes_the_multipart_form_its_headers_and_every_answer()
    {
        var document = await DocumentAsync(upload.Factory.CreateClient());
        var operation = document["paths"]!["/api/v1/patients/{patientId}/images"]!["post"]!;

        var form = operation["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!;
        Assert.NotNull(form);
        Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == "Idempotency-Key");
        foreach (var status in new[] { "200", "201", "400", "401", "403", "409", "413", "415", "422", "429", "503" })
        {
            Assert.NotNull(operation["responses"]![status]);
        }
    }

    [Fact]
    public async Task The_catalog_document_types_integers_as_integers_and_lists_enums()
    {
        var document = await DocumentAsync(catalog.Factory.CreateClient());
        var text = document.ToJsonString();

        Assert.DoesNotContain("\"integer\",\"string\"", text, StringComparison.Ordinal);
        Assert.Contains("\"enum\":[\"before\",\"after\",\"xray\",\"clinical\",\"other\"]", text, StringComparison.Ordinal);
    }
}
