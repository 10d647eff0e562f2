using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dental.Contracts.Api;

namespace Dental.Testing;

/// <summary>tus 1.0 requests as a client sends them, for tests and benchmarks that speak the protocol directly.</summary>
public static class TusRequests
{
    public static HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TusProtocol.Resumable, TusProtocol.Version);
        return request;
    }

    /// <summary>Creation of an upload of <paramref name="length"/> bytes for the patient.</summary>
    public static HttpRequestMessage Create(string patient, long length, string metadata)
    {
        var request = Tus(HttpMethod.Post, $"/api/v1/patients/{patient}/uploads");
        request.Headers.Add(TusProtocol.UploadLength, length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(TusProtocol.UploadMetadata, metadata);
        return request;
    }

    /// <summary><paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>.</summary>
    public static HttpRequestMessage Patch(string upload, byte[] file, int offset, int count)
    {
        var request = Tus(HttpMethod.Patch, upload);
        request.Headers.Add(TusProtocol.UploadOffset, offset.ToString(CultureInfo.InvariantCulture));
        request.Content = Bytes(file, offset, count);
        return request;
    }

    public static ByteArrayContent Bytes(byte[] file, int offset, int count)
    {
        var content = new ByteArrayContent(file, offset, count);
        content.Headers.ContentType = new MediaTypeHeaderValue(TusProtocol.ContentType);
        return content;
    }

    /// <summary>Upload-Metadata: each key, a space, and its value in base64.</summary>
    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));
}
