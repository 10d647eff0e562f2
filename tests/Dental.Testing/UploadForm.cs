using System.Net.Http.Headers;

namespace Dental.Testing;

/// <summary>Builds the multipart/form-data body of an upload request.</summary>
public sealed class UploadForm
{
    private readonly List<(string Name, string Value)> _fields = [];
    private readonly List<(string Name, byte[] Content, string FileName)> _files = [];
    private readonly List<(string Name, string Value)> _trailingFields = [];

    public UploadForm Field(string name, string value)
    {
        _fields.Add((name, value));
        return this;
    }

    public UploadForm File(byte[] content, string fileName = "photo.jpg", string name = "file")
    {
        _files.Add((name, content, fileName));
        return this;
    }

    /// <summary>A field sent after the files (which the API refuses).</summary>
    public UploadForm TrailingField(string name, string value)
    {
        _trailingFields.Add((name, value));
        return this;
    }

    public static UploadForm For(string tooth, string type, params byte[][] files)
    {
        var form = new UploadForm().Field("tooth", tooth).Field("type", type);
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            form.File(file, $"image-{i}.jpg");
        }

        return form;
    }

    public MultipartFormDataContent Build()
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in _fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (name, bytes, fileName) in _files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, name, fileName);
        }

        foreach (var (name, value) in _trailingFields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }
}
