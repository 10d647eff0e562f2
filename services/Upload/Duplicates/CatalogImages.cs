using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dental.Contracts.Api;

namespace Dental.Upload.Duplicates;

/// <summary>
/// The Catalog's view of an image, asked with the caller's own token (so it answers only what the caller may see): the original a
/// variant is attached to, and what it says of an image an upload duplicates: its real status (processing, ready, failed or deleted), previews, tags
/// and corrections. The Upload service knows only that the bytes are stored; the Catalog owns the rest, and is asked with the
/// caller's own token, so it answers only what the caller may see. Not catalogued yet means still processing; a Catalog that does
/// not answer in time leaves the status unknown (null) rather than holding the upload's answer.
/// </summary>
public sealed partial class CatalogImages(HttpClient http, ILogger<CatalogImages> logger)
{
    /// <summary>The image as the Catalog has it; null when it has no such image for the caller. Throws <see cref="HttpRequestException"/> when it does not answer.</summary>
    public async Task<ImageResource?> GetAsync(string patientId, Guid imageId, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/patients/{Uri.EscapeDataString(patientId)}/images/{imageId:D}");
        if (AuthenticationHeaderValue.TryParse(authorization, out var token))
        {
            request.Headers.Authorization = token;
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException("The catalog did not answer in time.", ex);
        }
    }

    public async Task<ImageResource> DescribeAsync(ImageResource stored, string? authorization, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(stored.PatientId, stored.Id, authorization, cancellationToken) is { } current
                ? current with { Duplicate = true }
                : stored with { Status = ImageStatus.Processing };
        }
        catch (HttpRequestException ex)
        {
            LogUnknown(logger, stored.Id, ex.GetType().Name);
            return stored;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Duplicate of image {ImageId}: the catalog did not say its status ({Reason}); answered without it")]
    private static partial void LogUnknown(ILogger logger, Guid imageId, string reason);
}
