using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Azure;
using Dental.Audit;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Hashing;
using Dental.Contracts.Imaging;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Dental.Upload.Storage;
using Dental.Upload.Validation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Resumable;

/// <summary>
/// Resumable uploads (tus 1.0 with creation, creation-with-upload, termination, expiration and checksum): the bytes arrive in
/// any number of requests, to any replica, and on the last one the same path as a multipart upload runs (SHA-256, dedupe,
/// commit, ImageUploaded). Only the request that completes (or refuses) an upload is audited, as one multipart upload is.
/// </summary>
public static class ResumableUploadApi
{
    private const string Tag = ApiTags.Uploads;

    public static IEndpointRouteBuilder MapResumableUploadApi(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup("/api/v1/patients/{patientId}/uploads")
            .RequireAuthorization(Policies.Upload)
            .AddEndpointFilter<TusVersionFilter>()
            .WithTags(Tag);
        uploads.MapMethods("/", [HttpMethods.Options], Discover)
            .WithName("DiscoverResumableUploads")
            .WithSummary("What the resumable upload endpoint supports (tus discovery)")
            .Produces(StatusCodes.Status204NoContent)
            .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.Extension, TusProtocol.Extensions)
            .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.MaxSize, "The largest Upload-Length accepted.");
        uploads.MapPost("/", CreateAsync)
            .Audited(AuditActions.ImagesUpload)
            .WithName("CreateResumableUpload")
            .WithSummary("Start a resumable upload of one file (tus creation, optionally with its first bytes)")
            .WithDescription("Upload-Length is the file's size; Upload-Metadata carries the upload form's fields as tus key/base64 pairs: tooth, type, " +
                "notation, takenAt, note, and filename. They are validated now, as a multipart upload's form is. A body of type " +
                "application/offset+octet-stream is the file's first bytes. The Location answered is where the rest goes (PATCH) and where its offset " +
                "is asked (HEAD). An upload left alone for 24 hours expires.")
            .WithRequestHeader(TusProtocol.Resumable, TusProtocol.Version, required: true)
            .WithRequestHeader(TusProtocol.UploadLength, "The file's size in bytes.", required: true)
            .WithRequestHeader(TusProtocol.UploadMetadata, "tooth, type, notation, takenAt, note, filename: each key, a space, and its value in base64.", required: true)
            .Produces(StatusCodes.Status201Created)
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The upload's address.")
            .WithResponseHeader(StatusCodes.Status201Created, TusProtocol.UploadOffset, "Bytes kept so far.")
            .WithResponseHeader(StatusCodes.Status201Created, TusProtocol.UploadExpires, "When the upload expires unless continued.")
            .WithResponseHeader(StatusCodes.Status201Created, TusProtocol.ImageLocation, "The image, when the first request carried the whole file.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable);
        uploads.MapMethods("/{uploadId:guid}", [HttpMethods.Head], OffsetAsync)
            .WithName("GetResumableUploadOffset")
            .WithSummary("How many bytes of a resumable upload are kept (tus HEAD)")
            .Produces(StatusCodes.Status200OK)
            .WithResponseHeader(StatusCodes.Status200OK, TusProtocol.UploadOffset, "Bytes kept: send the rest from here.")
            .WithResponseHeader(StatusCodes.Status200OK, TusProtocol.UploadLength, "The file's size.")
            .WithResponseHeader(StatusCodes.Status200OK, TusProtocol.ImageLocation, "The image, once the upload is complete.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);
        uploads.MapPatch("/{uploadId:guid}", AppendAsync)
            .Audited(AuditActions.ImagesUpload)
            .WithName("ContinueResumableUpload")
            .WithSummary("Send the next bytes of a resumable upload (tus PATCH)")
            .WithDescription("The body (application/offset+octet-stream) continues the file at Upload-Offset, which must be the offset the upload has " +
                "(409 otherwise: ask with HEAD). The header check runs on the first bytes: a file that is not an acceptable image is refused and the upload " +
                "forgotten. If the connection breaks, what arrived is kept, unless Upload-Checksum (sha256) was sent, in which case a request's bytes are " +
                "kept only whole and matching (460 otherwise). The request that brings the last byte stores the image as a multipart upload does and " +
                "answers where it is (Image-Location; Image-Duplicate says whether it was already stored for the patient).")
            .Accepts<Stream>(TusProtocol.ContentType)
            .WithRequestHeader(TusProtocol.Resumable, TusProtocol.Version, required: true)
            .WithRequestHeader(TusProtocol.UploadOffset, "Where these bytes start.", required: true)
            .WithRequestHeader(TusProtocol.UploadChecksum, "sha256 and the base64 SHA-256 of this request's bytes.")
            .Produces(StatusCodes.Status204NoContent)
            .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.UploadOffset, "Bytes kept so far.")
            .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.ImageLocation, "The image, once the upload is complete.")
            .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.ImageDuplicate, "true when the file was already stored for this patient.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone,
                StatusCodes.Status412PreconditionFailed, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
                TusProtocol.ChecksumMismatchStatus, StatusCodes.Status503ServiceUnavailable);
        uploads.MapDelete("/{uploadId:guid}", TerminateAsync)
            .WithName("TerminateResumableUpload")
            .WithSummary("Abandon a resumable upload (tus termination); an image it already stored stays")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);
        return app;
    }

    // patientId is bound so that the document describes the route's parameter; discovery is the same for every patient.
    private static IResult Discover([SuppressMessage("Style", "IDE0060", Justification = "Documented route parameter")] string patientId, HttpContext http, IOptions<UploadOptions> options)
    {
        var headers = http.Response.Headers;
        headers[TusProtocol.SupportedVersions] = TusProtocol.Version;
        headers[TusProtocol.Extension] = TusProtocol.Extensions;
        headers[TusProtocol.MaxSize] = options.Value.MaxFileBytes.ToString(CultureInfo.InvariantCulture);
        headers[TusProtocol.ChecksumAlgorithms] = "sha256";
        return Results.NoContent();
    }

    private static Task<IResult> CreateAsync(string patientId, HttpContext http, ResumableReceiver receiver, ErasureTombstones tombstones,
        IOptions<UploadOptions> options, CancellationToken cancellationToken) => Answer(http, async () =>
    {
        var request = http.Request;
        if (!PatientId.IsValid(patientId))
        {
            throw new UploadRejectedException(UploadRejection.InvalidPatientId());
        }

        var length = TusHeaderValues.ParseLength(request.Headers[TusProtocol.UploadLength], TusProtocol.UploadLength)
            ?? throw TusHeaderValues.Malformed($"{TusProtocol.UploadLength} is required (deferred lengths are not supported).");
        if (length == 0)
        {
            throw new UploadRejectedException(UploadRejection.EmptyFile(TusProtocol.UploadLength));
        }

        if (length > options.Value.MaxFileBytes)
        {
            throw new UploadRejectedException(UploadRejection.FileTooLarge(TusProtocol.UploadLength, options.Value.MaxFileBytes));
        }

        var (form, fileName) = TusHeaderValues.ParseMetadata(request.Headers[TusProtocol.UploadMetadata]);
        var fields = UploadFields.Parse(form, options.Value.MaxNoteLength);
        var patient = http.User.Patient(patientId);
        if (await tombstones.IsErasedAsync(patient, cancellationToken))
        {
            throw new UploadRejectedException(UploadRejection.Erased());
        }

        var upload = new ResumableUpload
        {
            UploadId = Guid.CreateVersion7(),
            ClinicId = patient.ClinicId,
            PatientId = patient.PatientId,
            Uploader = http.User.FindFirst(TokenSubject.ClaimType)!.Value,
            Length = length,
            Fields = form,
            FileName = fileName,
        };
        var withBytes = request.ContentType == TusProtocol.ContentType;
        if (withBytes)
        {
            CheckBodyFits(http, upload);
        }

        await receiver.ReceiveAsync(upload, etag: null, fields, withBytes ? request.Body : Stream.Null, http, cancellationToken);
        http.Response.Headers.Location = $"/api/v1/patients/{patientId}/uploads/{upload.UploadId:D}";
        return Results.StatusCode(StatusCodes.Status201Created);
    });

    private static Task<IResult> OffsetAsync(string patientId, Guid uploadId, HttpContext http, ResumableUploads uploads, CancellationToken cancellationToken) =>
        Answer(http, async () =>
        {
            var (upload, _) = await FindAsync(uploads, patientId, uploadId, http, cancellationToken);
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers[TusProtocol.UploadLength] = upload.Length.ToString(CultureInfo.InvariantCulture);
            ResumableReceiver.DescribeProgress(http, upload, uploads);
            return Results.Ok();
        });

    private static Task<IResult> AppendAsync(string patientId, Guid uploadId, HttpContext http, ResumableUploads uploads, ResumableReceiver receiver,
        ErasureTombstones tombstones, IOptions<UploadOptions> options, CancellationToken cancellationToken) => Answer(http, async () =>
    {
        if (http.Request.ContentType != TusProtocol.ContentType)
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                "Unsupported request", "Content-Type", $"Send the bytes as {TusProtocol.ContentType}."));
        }

        var offset = TusHeaderValues.ParseLength(http.Request.Headers[TusProtocol.UploadOffset], TusProtocol.UploadOffset)
            ?? throw TusHeaderValues.Malformed($"{TusProtocol.UploadOffset} is required.");
        var (upload, etag) = await FindAsync(uploads, patientId, uploadId, http, cancellationToken);
        if (upload.Completed && offset == upload.Length)
        {
            // The client missed the answer that completed it: the same answer again.
            http.AuditNotThisStep();
            ResumableReceiver.DescribeProgress(http, upload, uploads);
            return Results.NoContent();
        }

        if (offset != upload.Offset || upload.Completed)
        {
            http.Response.Headers[TusProtocol.UploadOffset] = upload.Offset.ToString(CultureInfo.InvariantCulture);
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.UploadOffsetMismatch, "Offset mismatch",
                TusProtocol.UploadOffset, $"The upload holds {upload.Offset} bytes; send the bytes that follow them (ask with HEAD after a broken connection)."));
        }

        var patient = http.User.Patient(patientId);
        if (await tombstones.IsErasedAsync(patient, cancellationToken))
        {
            await uploads.DeleteAsync(uploadId, cancellationToken);
            throw new UploadRejectedException(UploadRejection.Erased());
        }

        CheckBodyFits(http, upload);
        await receiver.ReceiveAsync(upload, etag, UploadFields.Parse(upload.Fields, options.Value.MaxNoteLength), http.Request.Body, http, cancellationToken);
        return Results.NoContent();
    });

    private static Task<IResult> TerminateAsync(string patientId, Guid uploadId, HttpContext http, ResumableUploads uploads, CancellationToken cancellationToken) =>
        Answer(http, async () =>
        {
            await FindAsync(uploads, patientId, uploadId, http, cancellationToken);
            await uploads.DeleteAsync(uploadId, cancellationToken);
            return Results.NoContent();
        });

    private static async Task<(ResumableUpload Upload, ETag ETag)> FindAsync(
        ResumableUploads uploads, string patientId, Guid uploadId, HttpContext http, CancellationToken cancellationToken) =>
        await uploads.FindAsync(uploadId, http.User.Patient(patientId), http.User.FindFirst(TokenSubject.ClaimType)!.Value, cancellationToken)
            ?? throw new UploadRejectedException(new UploadRejection(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", null,
                "No such upload for this patient and caller (an upload expires 24 hours after its last request)."));

    /// <summary>Refuses at once a body that says it is longer than what the upload still lacks.</summary>
    private static void CheckBodyFits(HttpContext http, ResumableUpload upload)
    {
        if (http.Request.ContentLength > upload.Length - upload.Offset)
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.FileTooLarge, "More than announced",
                TusProtocol.UploadLength, $"The upload lacks {upload.Length - upload.Offset} bytes; this request carries more."));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // One byte more than the upload lacks, so that a longer chunked body is noticed and refused.
            bodyLimit.MaxRequestBodySize = upload.Length - upload.Offset + 1;
        }
    }

    /// <summary>The handler's answer, or the problem its refusal or a storage failure becomes.</summary>
    private static async Task<IResult> Answer(HttpContext http, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (UploadRejectedException ex)
        {
            UploadMetrics.Rejected(ex.Rejection.Reason);
            return UploadResults.Problem(ex.Rejection, http);
        }
        catch (RequestFailedException)
        {
            return UploadResults.Problem(UploadRejection.Unavailable(), http);
        }
    }
}
