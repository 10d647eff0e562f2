using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dental.Contracts.Api;

namespace Dental.Upload.Duplicates;

/// <summary>
/// What the Catalog says of an image an upload duplicates: its real status (processing, ready, failed or deleted), previews, tags
/// and corrections. The Upload service knows only that the bytes are stored; the Catalog owns the rest, and is asked with the
/// caller's own token, so it answers only what the caller may see. Not catalogued yet means still processing; a Catalog that does
/// not answer in time leaves the status unknown (null) rather than holding the upload's answer.
/// </summary>
public sealed partial class ExistingImages(HttpClient http, ILogger<ExistingImages> logger)
{
    public const string HttpClientName = "catalog";

    public async Task<ImageResource> DescribeAsync(ImageResource stored, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/patients/{Uri.EscapeDataString(stored.PatientId)}/images/{stored.Id:D}");
        if (AuthenticationHeaderValue.TryParse(authorization, out var token))
        {
            request.Headers.Authorization = token;
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return stored with { Status = ImageStatus.Processing };
            }

            response.EnsureSuccessStatusCode();
            var current = await response.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web, cancellationToken);
            return current is null ? stored : current with { Duplicate = true };
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnknown(logger, stored.Id, ex.GetType().Name);
            return stored;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Duplicate of image {ImageId}: the catalog did not say its status ({Reason}); answered without it")]
    private static partial void LogUnknown(ILogger logger, Guid imageId, string reason);
}
