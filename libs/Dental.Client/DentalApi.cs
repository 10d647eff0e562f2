using System.Net.Http.Headers;
using Dental.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Dental.Client;

/// <summary>One file of an upload, read from its stream as the request is sent.</summary>
public sealed record UploadFile(Stream Content, string FileName, string ContentType);

/// <summary>The fields of an upload (the multipart form's parts besides the files) and its optional Idempotency-Key.</summary>
public sealed record ImageUpload(string Tooth, string Type)
{
    public string? Notation { get; init; }
    public DateTimeOffset? TakenAt { get; init; }
    public string? Note { get; init; }
    public string? IdempotencyKey { get; init; }
}

/// <summary>
/// The platform's API for .NET callers: <see cref="Client"/> is the generated client (every operation), signed in
/// with a bearer token; <see cref="UploadAsync"/> streams files, which Kiota's multipart body would hold in memory whole.
/// </summary>
public sealed class DentalApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly IAccessTokenProvider _tokens;
    private readonly string _baseUrl;

    private DentalApi(HttpClient http, IAccessTokenProvider tokens)
    {
        _http = http;
        _tokens = tokens;
        _baseUrl = http.BaseAddress!.ToString().TrimEnd('/');
        Client = new DentalApiClient(new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(tokens), httpClient: http) { BaseUrl = _baseUrl });
    }

    public DentalApiClient Client { get; }

    /// <summary>A client of the gateway at <paramref name="gateway"/>, asking <paramref name="token"/> for an access token per request.</summary>
    public static DentalApi Connect(Uri gateway, Func<CancellationToken, Task<string>> token) =>
        Over(new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(10) }, token);

    /// <summary>A client over <paramref name="http"/> (its BaseAddress is the gateway), which it then owns.</summary>
    public static DentalApi Over(HttpClient http, Func<CancellationToken, Task<string>> token) => new(http, new TokenProvider(token));

    /// <summary>Uploads files of one tooth and type, streaming each from its stream; a refusal is thrown as the problem detail.</summary>
    public async Task<UploadResponse> UploadAsync(string patientId, ImageUpload upload, IReadOnlyList<UploadFile> files, CancellationToken cancellationToken = default)
    {
        // The upload's address is the image list's: the generated builder spells it (and escapes the patient id).
        var address = Client.Api.V1.Patients[patientId].Images.ToGetRequestInformation();
        address.PathParameters["baseurl"] = _baseUrl;
        var target = address.URI;
        using var form = new MultipartFormDataContent();
        AddField(form, "tooth", upload.Tooth);
        AddField(form, "type", upload.Type);
        AddField(form, "notation", upload.Notation);
        AddField(form, "takenAt", upload.TakenAt?.ToString("O"));
        AddField(form, "note", upload.Note);
        foreach (var file in files)
        {
            var part = new StreamContent(file.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
            form.Add(part, "file", file.FileName);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetAuthorizationTokenAsync(target, cancellationToken: cancellationToken));
        if (upload.IdempotencyKey is { } key)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? await KiotaJsonSerializer.DeserializeAsync(body, ProblemDetails.CreateFromDiscriminatorValue, cancellationToken)
                : null;
            var error = problem ?? new ApiException($"The upload was answered {(int)response.StatusCode}.");
            error.ResponseStatusCode = (int)response.StatusCode;
            throw error;
        }

        return (await KiotaJsonSerializer.DeserializeAsync(body, UploadResponse.CreateFromDiscriminatorValue, cancellationToken))!;
    }

    public void Dispose() => _http.Dispose();

    private static void AddField(MultipartFormDataContent form, string name, string? value)
    {
        if (value is not null)
        {
            form.Add(new StringContent(value), name);
        }
    }

    private sealed class TokenProvider(Func<CancellationToken, Task<string>> token) : IAccessTokenProvider
    {
        // The caller chooses the gateway it talks to; tokens go to that host only.
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            token(cancellationToken);
    }
}
