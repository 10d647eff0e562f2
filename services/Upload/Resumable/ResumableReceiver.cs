using System.Globalization;
using Azure;
using Dental.Audit;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Hashing;
using Dental.Contracts.Imaging;
using Dental.Upload.Storage;
using Dental.Upload.Validation;

namespace Dental.Upload.Resumable;

/// <summary>
/// Takes one request's bytes into a resumable upload, and on the last byte stores the image as a multipart upload would;
/// then stores the upload's new state, if nobody else changed it meanwhile.
/// </summary>
public sealed class ResumableReceiver(ResumableChunkWriter writer, ResumableUploads uploads, UploadProcessor processor)
{
    /// <param name="etag">The version of the state read, or null for an upload being created.</param>
    public async Task<ResumableUpload> ReceiveAsync(ResumableUpload upload, ETag? etag, UploadFields fields, Stream body, HttpContext http, CancellationToken cancellationToken)
    {
        ResumableUpload next;
        try
        {
            next = await writer.AppendAsync(upload, fields, body, Checksum(http), http.RequestAborted);
        }
        catch (UploadRejectedException ex) when (ex.Rejection.Field == "file")
        {
            // The file itself was refused (format, header, pixels): no later request can change that, so nothing is kept.
            await uploads.DeleteAsync(upload.UploadId, CancellationToken.None);
            throw;
        }

        if (next.Offset == next.Length)
        {
            next = await CompleteAsync(next, fields, cancellationToken);
            http.AuditImages([next.StoredImageId!.Value.ToString("D")]);
        }
        else
        {
            http.AuditNotThisStep();
        }

        // Not the request's token: a state that lags the staged bytes only costs the client a resend, but its bytes are kept when it can be stored.
        var stored = etag is { } version
            ? await uploads.TryReplaceAsync(next, version, CancellationToken.None)
            : await uploads.CreateAsync(next, CancellationToken.None);
        if (!stored)
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.UploadOffsetMismatch, "Offset mismatch",
                TusProtocol.UploadOffset, "Another request continued this upload at the same time; ask for the offset with HEAD and go on from there."));
        }

        DescribeProgress(http, next, uploads);
        return next;
    }

    /// <summary>The headers that tell a client where an upload stands (and, once complete, where its image is).</summary>
    public static void DescribeProgress(HttpContext http, ResumableUpload upload, ResumableUploads uploads)
    {
        var headers = http.Response.Headers;
        headers[TusProtocol.UploadOffset] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        headers[TusProtocol.UploadExpires] = uploads.ExpiresFromNow().ToString("R", CultureInfo.InvariantCulture);
        if (upload.StoredImageId is { } imageId)
        {
            headers[TusProtocol.ImageLocation] = $"/api/v1/patients/{upload.PatientId}/images/{imageId:D}";
            headers[TusProtocol.ImageDuplicate] = upload.Duplicate ? "true" : "false";
        }
    }

    private async Task<ResumableUpload> CompleteAsync(ResumableUpload upload, UploadFields fields, CancellationToken cancellationToken)
    {
        var image = upload.Image!;
        var staged = new StagedOriginal(image.ImageId, image.BlobName, upload.BlockIds, Content: null, ResumableSha256.Resume(upload.HashState).HexDigest(),
            upload.Length, ImageFormat.All.Single(f => f.Name == image.Format), image.Width, image.Height, upload.FileName);
        var answer = await processor.CommitStagedAsync(fields, staged, new PatientKey(upload.ClinicId, upload.PatientId), upload.Uploader, cancellationToken);
        if (answer.Rejection is { } rejection)
        {
            if (rejection.Status == StatusCodes.Status410Gone)
            {
                await uploads.DeleteAsync(upload.UploadId, CancellationToken.None);
            }

            // Otherwise (storage down, an identical upload in progress) the state stays as it was: the client sends the last bytes again.
            throw new UploadRejectedException(rejection);
        }

        var item = answer.Body!.Items[0];
        return upload with { StoredImageId = item.Id, Duplicate = item.Duplicate == true, BlockIds = [], HashState = null };
    }

    /// <summary>The SHA-256 the client gave for this request's bytes (Upload-Checksum: sha256 base64), or null.</summary>
    private static byte[]? Checksum(HttpContext http)
    {
        if (http.Request.Headers[TusProtocol.UploadChecksum].ToString() is not { Length: > 0 } header)
        {
            return null;
        }

        var parts = header.Split(' ', 2);
        if (!parts[0].Equals("sha256", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Unsupported checksum",
                TusProtocol.UploadChecksum, "The only checksum algorithm supported is sha256."));
        }

        try
        {
            return parts.Length == 2 && Convert.FromBase64String(parts[1]) is { Length: 32 } digest ? digest : throw new FormatException();
        }
        catch (FormatException)
        {
            throw TusHeaderValues.Malformed($"{TusProtocol.UploadChecksum} must be 'sha256' and the base64 of a 32-byte SHA-256.");
        }
    }
}
