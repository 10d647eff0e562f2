using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Hashing;
using Dental.Contracts.Imaging;
using Dental.Upload.Storage;
using Dental.Upload.Validation;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Resumable;

/// <summary>
/// Appends one request's bytes to a resumable upload: they become uncommitted blocks of the original's blob (invisible, at most
/// two blocks in memory), the running SHA-256 goes on, and the header check runs as soon as the first bytes allow, before
/// anything is staged. A connection cut mid-request keeps what arrived (tus: the client asks for the offset and goes on),
/// unless the request carried a checksum, which cannot be verified then.
/// </summary>
public sealed class ResumableChunkWriter(ImageContainers containers, IOptions<UploadOptions> options)
{
    // Storage's limit of blocks per blob; a client sending tiny chunks reaches it long before the size limit.
    private const int MaxBlocks = 50_000;

    /// <param name="checksum">The SHA-256 the client announced for this request's bytes (Upload-Checksum), if any.</param>
    /// <returns>The upload's new state, not yet stored.</returns>
    public async Task<ResumableUpload> AppendAsync(ResumableUpload upload, UploadFields fields, Stream body, byte[]? checksum, CancellationToken aborted)
    {
        var request = new RequestBytes(body, upload.Length - upload.Offset, checksum is not null, aborted);
        var hash = upload.HashState is { } saved ? ResumableSha256.Resume(saved) : new ResumableSha256();
        var requestId = Guid.NewGuid();
        var blocks = new List<string>(upload.BlockIds);
        var image = upload.Image;
        var buffers = new BlockBuffers();
        try
        {
            upload.Head?.CopyTo(buffers.Current, 0);
            var filled = upload.Head?.Length ?? 0;
            while (true)
            {
                filled = await request.FillAsync(buffers.Current, filled, image is null ? OriginalStager.HeaderLimit : OriginalStager.BlockSize);
                if (image is null)
                {
                    var complete = upload.Offset + request.Received == upload.Length;
                    var header = ImageHeader.Read(buffers.Current.AsSpan(0, filled), complete);
                    if (header.Status == HeaderStatus.NeedMoreData && filled < OriginalStager.HeaderLimit && !complete)
                    {
                        // The request ended before the header could be judged: keep its start for the next one.
                        return Progress(upload, request, blocks, hash, image, head: buffers.Current.AsSpan(0, filled).ToArray(), checksum);
                    }

                    OriginalStager.CheckHeader(filled, header, options.Value);
                    image = NewImage(upload, fields, header);
                    if (!request.Ended)
                    {
                        continue;
                    }
                }

                if (filled > 0)
                {
                    if (blocks.Count >= MaxBlocks)
                    {
                        throw TusHeaderValues.Malformed($"An upload may arrive in at most {MaxBlocks} pieces; send larger chunks.");
                    }

                    hash.Append(buffers.Current.AsSpan(0, filled));
                    var blockId = OriginalStager.BlockId(blocks.Count - upload.BlockIds.Count, requestId);
                    blocks.Add(blockId);
                    // Not the request's token: what arrived before a cut is kept.
                    await buffers.StageAsync(containers.Originals.GetBlockBlobClient(image.BlobName), blockId, filled, CancellationToken.None);
                    filled = 0;
                }

                if (request.Ended)
                {
                    await buffers.WaitForStagingAsync();
                    return Progress(upload, request, blocks, hash, image, head: null, checksum);
                }
            }
        }
        finally
        {
            await buffers.ReturnAsync();
        }
    }

    private static ResumableImage NewImage(ResumableUpload upload, UploadFields fields, HeaderResult header)
    {
        var imageId = Guid.CreateVersion7();
        var blobName = BlobNames.Original(new PatientKey(upload.ClinicId, upload.PatientId), fields.Tooth, fields.Type, imageId, header.Format!.Extension);
        return new ResumableImage(imageId, blobName, header.Format.Name, header.Width, header.Height);
    }

    private static ResumableUpload Progress(
        ResumableUpload upload, RequestBytes request, List<string> blocks, ResumableSha256 hash, ResumableImage? image, byte[]? head, byte[]? checksum)
    {
        if (checksum is not null && !request.Checksum().SequenceEqual(checksum))
        {
            throw new UploadRejectedException(new UploadRejection(TusProtocol.ChecksumMismatchStatus, ProblemTypes.ChecksumMismatch, "Checksum mismatch",
                TusProtocol.UploadChecksum, request.Cut
                    ? "The connection ended before the request's bytes were complete, so they could not be checked; nothing of them was kept."
                    : "The bytes received do not match the SHA-256 in Upload-Checksum; nothing of them was kept. Send them again."));
        }

        return upload with
        {
            Offset = upload.Offset + request.Received,
            Head = head,
            Image = image,
            BlockIds = blocks,
            HashState = hash.Save(),
        };
    }

    /// <summary>One request's body, read up to the bytes the upload still lacks; a cut connection ends it like its end does.</summary>
    private sealed class RequestBytes(Stream body, long remaining, bool verify, CancellationToken aborted)
    {
        private readonly IncrementalHash? _checksum = verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

        public long Received { get; private set; }

        public bool Ended { get; private set; }

        public bool Cut { get; private set; }

        public byte[] Checksum() => _checksum!.GetHashAndReset();

        /// <summary>Reads until <paramref name="limit"/> bytes are in the buffer or the request ends; returns how many are.</summary>
        public async Task<int> FillAsync(byte[] buffer, int filled, int limit)
        {
            while (filled < limit && !Ended)
            {
                if (Received == remaining)
                {
                    await RefuseMoreAsync();
                    Ended = true;
                    break;
                }

                var read = await ReadAsync(buffer.AsMemory(filled, (int)Math.Min(limit - filled, remaining - Received)));
                if (read == 0)
                {
                    Ended = true;
                    break;
                }

                _checksum?.AppendData(buffer, filled, read);
                filled += read;
                Received += read;
            }

            return filled;
        }

        private async Task RefuseMoreAsync()
        {
            if (await ReadAsync(new byte[1]) > 0)
            {
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.FileTooLarge, "More than announced",
                    TusProtocol.UploadLength, "The request carries more bytes than Upload-Length leaves; nothing of it was kept."));
            }
        }

        private async Task<int> ReadAsync(Memory<byte> into)
        {
            try
            {
                return await body.ReadAsync(into, aborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.RequestTooLarge, "Request too large",
                    null, "The request is larger than this route accepts."));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The client went away (or sent less than its Content-Length): what arrived is kept.
                Cut = true;
                return 0;
            }
        }
    }
}
