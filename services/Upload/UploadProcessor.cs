using System.Diagnostics;
using System.Text;
using Azure;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Upload.Outbox;
using Dental.Upload.Storage;
using Dental.Upload.Validation;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dental.Upload;

/// <summary>
/// One upload request, in two phases. Phase 1 streams every file into staged (invisible) blocks while
/// validating it (one small file may instead be held in memory); any refusal ends the request with nothing stored. Phase 2 claims each file's content
/// hash, records its event in the outbox, commits the original, then publishes. A storage failure in
/// phase 2 undoes what this request committed and answers 503; so does an identical upload still being
/// stored by another request, with 409.
/// </summary>
public sealed partial class UploadProcessor(
    OriginalStager stager,
    OriginalCommitter committer,
    DuplicateMarkers markers,
    UploadEvents events,
    ErasureTombstones tombstones,
    IOptions<UploadOptions> options,
    TimeProvider time,
    ILogger<UploadProcessor> logger)
{
    private const int MaxFieldLength = 16 * 1024;

    // The form is small and known (tooth, type, notation, takenAt, note): these bound what a request may make
    // the service hold besides its files, whatever the client sends.
    private const int MaxFormFields = 16;
    private const int MaxFormCharacters = 32 * 1024;
    private const int MaxPartHeaderBytes = 16 * 1024;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <param name="beforeCommit">
    /// Called, when given, once everything is staged and valid, with the request's fingerprint (what defines it:
    /// patient, fields, each file's SHA-256 and name); an answer it returns is given instead of committing.
    /// </param>
    /// <param name="variant">The original the files are variants of, or null for originals.</param>
    public async Task<UploadAnswer> ProcessAsync(
        Stream body, string boundary, PatientKey patient, string uploader, Func<string, UploadAnswer?>? beforeCommit, CancellationToken cancellationToken,
        VariantTarget? variant = null)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (fields, staged) = await StageAllAsync(body, boundary, patient, variant, cancellationToken);
            if (beforeCommit?.Invoke(Fingerprint(patient, fields, staged)) is { } instead)
            {
                return instead;
            }

            var answer = await CommitAllAsync(fields, staged, patient, uploader, cancellationToken);
            UploadMetrics.Duration.Record(clock.Elapsed.TotalMilliseconds);
            return answer;
        }
        catch (UploadRejectedException ex)
        {
            return Refused(ex.Rejection);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel (before the IOException it derives from): the client sent less than it announced, or more than the request limit.
            return Refused(ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new UploadRejection(ex.StatusCode, ProblemTypes.RequestTooLarge, "Request too large", "body", "The request is larger than this route accepts.")
                : new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed request", "body",
                    "The request body ended before it was complete."));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader: a missing or wrong boundary, a part header over its limits, a body that ends early.
            return Refused(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed request", "body",
                "The body is not a complete multipart/form-data message (boundary, part headers or the closing boundary)."));
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogStorageFailure(logger, ex.GetType().Name, ex.Message.Split('\n')[0]);
            return Refused(UploadRejection.Unavailable());
        }
    }

    /// <summary>Phase 2 alone, for one file staged by other means (a resumable upload's last request).</summary>
    public async Task<UploadAnswer> CommitStagedAsync(UploadFields fields, StagedOriginal staged, PatientKey patient, string uploader, CancellationToken cancellationToken)
    {
        try
        {
            return await CommitAllAsync(fields, [staged], patient, uploader, cancellationToken);
        }
        catch (UploadRejectedException ex)
        {
            return Refused(ex.Rejection);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogStorageFailure(logger, ex.GetType().Name, ex.Message.Split('\n')[0]);
            return Refused(UploadRejection.Unavailable());
        }
    }

    private static string Fingerprint(PatientKey patient, UploadFields fields, List<StagedOriginal> staged)
    {
        var text = new StringBuilder().AppendLine(patient.Path).AppendLine(fields.ToString());
        foreach (var file in staged)
        {
            text.Append(file.Sha256).Append(' ').AppendLine(file.OriginalFileName);
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static UploadAnswer Refused(UploadRejection rejection)
    {
        UploadMetrics.Rejected(rejection.Reason);
        return UploadAnswer.Refused(rejection);
    }

    private async Task<(UploadFields Fields, List<StagedOriginal> Staged)> StageAllAsync(
        Stream body, string boundary, PatientKey patient, VariantTarget? variant, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = MaxPartHeaderBytes, HeadersCountLimit = 8 };
        var form = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var staged = new List<StagedOriginal>();
        UploadFields? fields = null;
        var parts = 0;
        var formCharacters = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++parts > MaxFormFields + options.Value.MaxFilesPerRequest)
            {
                throw new UploadRejectedException(FormTooLarge($"A request may carry at most {MaxFormFields} form fields besides its files."));
            }

            var disposition = section.GetContentDispositionHeader()
                ?? throw new UploadRejectedException(UploadRejection.Invalid("form", "Every part of the form needs a Content-Disposition header."));
            var name = disposition.Name.Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (!name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UploadRejectedException(UploadRejection.Invalid(name, "Files must be sent in form parts named 'file'."));
                }

                fields ??= variant is null ? UploadFields.Parse(form, options.Value.MaxNoteLength) : UploadFields.ParseVariant(form, variant, options.Value.MaxNoteLength);
                if (staged.Count >= options.Value.MaxFilesPerRequest)
                {
                    throw new UploadRejectedException(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.TooManyFiles, "Too many files", "file",
                        $"One request may carry at most {options.Value.MaxFilesPerRequest} files."));
                }

                // At most one small file per request is held in memory until commit; the rest are staged, so a
                // request of many small files still needs only a few blocks of memory.
                var mayHold = staged.TrueForAll(s => s.Content is null);
                staged.Add(await stager.StageAsync(section.Body, patient, fields, FileName(disposition), mayHold, cancellationToken));
            }
            else if (disposition.IsFormDisposition())
            {
                if (fields is not null)
                {
                    throw new UploadRejectedException(UploadRejection.Invalid(name, "Form fields (tooth, type, notation, takenAt, note) must come before the files."));
                }

                var value = await ReadFieldAsync(section, name, cancellationToken);
                formCharacters += name.Length + value.Length;
                if (form.Count >= MaxFormFields || formCharacters > MaxFormCharacters)
                {
                    throw new UploadRejectedException(FormTooLarge(
                        $"The form fields may number at most {MaxFormFields} and hold at most {MaxFormCharacters} characters in all."));
                }

                form[name] = value;
            }
        }

        if (staged.Count == 0)
        {
            throw new UploadRejectedException(UploadRejection.Missing("file"));
        }

        return (fields!, staged);
    }

    private async Task<UploadAnswer> CommitAllAsync(
        UploadFields fields, List<StagedOriginal> staged, PatientKey patient, string uploader, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var items = new List<ImageResource>();
        var committed = new List<ImageUploaded>();
        try
        {
            foreach (var file in staged)
            {
                var image = new ImageUploaded(
                    file.ImageId, patient.ClinicId, patient.PatientId, fields.Tooth, fields.Notation, fields.Type, file.BlobName, file.SizeBytes, file.Format.ContentType,
                    file.Sha256, file.Width, file.Height, uploader, now, fields.TakenAt)
                {
                    Variant = fields.Variant,
                };
                var text = new ImageText(file.OriginalFileName, fields.Note);
                switch (await markers.ClaimAsync(image, cancellationToken))
                {
                    case ClaimResult.Existing existing:
                        UploadMetrics.Duplicates.Add(1);
                        items.Add(ImageResource.From(existing.Image, existing.Text) with { Duplicate = true });
                        continue;
                    case ClaimResult.Busy:
                        throw new UploadRejectedException(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Identical upload in progress", "file",
                            "The same image is being stored for this patient by another request right now; retry shortly and it is answered as a duplicate.")
                        {
                            RetryAfter = TimeSpan.FromSeconds(2),
                        });
                }

                committed.Add(image);
                await events.RecordAsync(image, cancellationToken);
                await committer.CommitAsync(file, image, text, cancellationToken);
                UploadMetrics.Uploads.Add(1);
                UploadMetrics.Bytes.Add(file.SizeBytes);
                LogStored(logger, image.ImageId, file.SizeBytes);
                items.Add(ImageResource.From(image, text) with { Status = ImageStatus.Processing, Duplicate = false });
            }

            // Checked again after committing: an erasure that began while this request was storing cannot have seen its
            // originals, so this request takes them back itself.
            if (committed.Count > 0 && await tombstones.IsErasedAsync(patient, cancellationToken))
            {
                throw new UploadRejectedException(UploadRejection.Erased());
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex) || ex is UploadRejectedException)
        {
            await UndoAsync(committed);
            throw;
        }

        foreach (var image in committed)
        {
            await TryPublishAsync(image, cancellationToken);
        }

        var created = committed.Count > 0;
        var location = created ? $"/api/v1/patients/{patient.PatientId}/images/{committed[0].ImageId:D}" : null;
        return new UploadAnswer(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, new UploadResponse(items), location);
    }

    private async Task TryPublishAsync(ImageUploaded image, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await events.PublishAsync(image, timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The original is durable and its event is in the outbox: the sweeper publishes it later.
            LogPublishDeferred(logger, image.ImageId, ex.Message.Split('\n')[0]);
        }
    }

    private async Task UndoAsync(List<ImageUploaded> committed)
    {
        foreach (var image in committed)
        {
            try
            {
                await committer.DeleteAsync(image.BlobName, CancellationToken.None);
                await events.ForgetAsync(image.ImageId, CancellationToken.None);
                await markers.ReleaseAsync(image, CancellationToken.None);
            }
            catch (Exception ex) when (IsStorageFailure(ex))
            {
                // Storage is down: the outbox sweeper finds what is left and finishes or discards it.
                LogUndoDeferred(logger, image.ImageId, ex.Message.Split('\n')[0]);
            }
        }
    }

    private static UploadRejection FormTooLarge(string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.FormTooLarge, "Form too large", "form", detail);

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(section.Body, Encoding.UTF8);
        var buffer = new char[MaxFieldLength + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return length > MaxFieldLength
            ? throw new UploadRejectedException(UploadRejection.Invalid(name, $"The field is longer than {MaxFieldLength} characters."))
            : new string(buffer, 0, length);
    }

    private static string? FileName(ContentDispositionHeaderValue disposition) =>
        FileNames.WithoutDirectory(disposition.FileNameStar.Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value);

    private static bool IsStorageFailure(Exception ex) => ex is RequestFailedException or AggregateException { InnerException: RequestFailedException };

    [LoggerMessage(LogLevel.Information, "Stored image {ImageId} ({SizeBytes} bytes)")]
    private static partial void LogStored(ILogger logger, Guid imageId, long sizeBytes);

    [LoggerMessage(LogLevel.Warning, "Storage failed during an upload ({Kind}): {Reason}")]
    private static partial void LogStorageFailure(ILogger logger, string kind, string reason);

    [LoggerMessage(LogLevel.Warning, "ImageUploaded for {ImageId} not published yet; the outbox sweeper will: {Reason}")]
    private static partial void LogPublishDeferred(ILogger logger, Guid imageId, string reason);

    [LoggerMessage(LogLevel.Warning, "Could not undo image {ImageId} now; the outbox sweeper will: {Reason}")]
    private static partial void LogUndoDeferred(ILogger logger, Guid imageId, string reason);
}
