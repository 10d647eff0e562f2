using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Imaging;
using Dental.Upload.Validation;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Storage;

/// <summary>
/// Streams one file into Blob Storage as it arrives: the header is checked first (format, pixels), then
/// the bytes are staged block by block while SHA-256 and the size are computed. Memory per upload is two
/// blocks, whatever the file size. A file that fits in both (8 MiB, most photos and X-rays) may be kept for a single write
/// at commit: one request instead of three or more, as the storage SDK does below its own threshold. Nothing is visible until
/// <see cref="OriginalCommitter"/> commits.
/// </summary>
public sealed class OriginalStager(ImageContainers containers, IOptions<UploadOptions> options)
{
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>How much of a file the header check may read before it must decide.</summary>
    public const int HeaderLimit = 1024 * 1024;

    public async Task<StagedOriginal> StageAsync(Stream body, PatientKey patient, UploadFields fields, string? fileName, bool mayHoldInMemory, CancellationToken cancellationToken)
    {
        var buffers = new BlockBuffers();
        try
        {
            var (filled, ended, header) = await ReadHeaderAsync(body, buffers.Current, cancellationToken);
            CheckHeader(filled, header, options.Value);
            var imageId = Guid.CreateVersion7();
            var blobName = fields.Variant is { } variant
                ? BlobNames.Variant(patient, fields.Tooth, fields.Type, variant.Of, imageId, header.Format!.Extension)
                : BlobNames.Original(patient, fields.Tooth, fields.Type, imageId, header.Format!.Extension);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var (blocks, content, total) = await StageBlocksAsync(body, containers.Originals.GetBlockBlobClient(blobName), imageId, buffers, filled, ended, hash, mayHoldInMemory, cancellationToken);
            return new StagedOriginal(imageId, blobName, blocks, content, Convert.ToHexStringLower(hash.GetHashAndReset()), total, header.Format!, header.Width, header.Height, fileName);
        }
        finally
        {
            await buffers.ReturnAsync();
        }
    }

    /// <summary>
    /// Hashes and stages the file block by block, the first <paramref name="filled"/> bytes already in the current
    /// buffer; one block uploads while the next is read from the client. A file that fits in both buffers is
    /// returned as content instead when <paramref name="mayHoldInMemory"/>.
    /// </summary>
    private async Task<(List<string> Blocks, BinaryData? Content, long Total)> StageBlocksAsync(
        Stream body, BlockBlobClient blob, Guid imageId, BlockBuffers buffers, int filled, bool ended, IncrementalHash hash, bool mayHoldInMemory, CancellationToken cancellationToken)
    {
        var blocks = new List<string>();
        long total = 0;
        // Bytes already in the other buffer: it becomes the current one when the current block is staged.
        var carried = 0;
        if (mayHoldInMemory)
        {
            if (!ended)
            {
                (filled, ended) = await FillAsync(body, buffers.Current, filled, BlockSize, cancellationToken);
            }

            var second = 0;
            if (!ended)
            {
                (second, ended) = await FillAsync(body, buffers.Spare, 0, BlockSize, cancellationToken);
            }

            CheckSize(filled + second);
            if (ended)
            {
                hash.AppendData(buffers.Current, 0, filled);
                hash.AppendData(buffers.Spare, 0, second);
                var content = new byte[filled + second];
                buffers.Current.AsSpan(0, filled).CopyTo(content);
                buffers.Spare.AsSpan(0, second).CopyTo(content.AsSpan(filled));
                return (blocks, BinaryData.FromBytes(content), content.Length);
            }

            // Larger than both buffers: staged as usual, the second buffer's bytes carried over as the next block once the first is staged.
            carried = second;
        }

        while (filled > 0)
        {
            if (!ended && filled < BlockSize)
            {
                (filled, ended) = await FillAsync(body, buffers.Current, filled, BlockSize, cancellationToken);
            }

            total += filled;
            CheckSize(total);
            hash.AppendData(buffers.Current, 0, filled);
            var blockId = BlockId(blocks.Count, imageId);
            blocks.Add(blockId);
            await buffers.StageAsync(blob, blockId, filled, cancellationToken);
            (filled, carried) = (carried, 0);
            if (!ended && filled == 0)
            {
                (filled, ended) = await FillAsync(body, buffers.Current, 0, BlockSize, cancellationToken);
            }
        }

        await buffers.WaitForStagingAsync();
        return (blocks, null, total);
    }

    /// <summary>A block id unique to one request's <paramref name="index"/>th block: ids of one blob must all be the same length.</summary>
    internal static string BlockId(int index, Guid requestId) => Convert.ToBase64String(BitConverter.GetBytes(index).Concat(requestId.ToByteArray()).ToArray());

    private void CheckSize(long total)
    {
        if (total > options.Value.MaxFileBytes)
        {
            throw new UploadRejectedException(UploadRejection.FileTooLarge("file", options.Value.MaxFileBytes));
        }
    }

    /// <summary>Reads just enough of the file to know its real format and pixel dimensions (at most 1 MB).</summary>
    private static async Task<(int Filled, bool Ended, HeaderResult Header)> ReadHeaderAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, HeaderLimit - filled), cancellationToken);
            filled += read;
            var ended = read == 0;
            var header = ImageHeader.Read(buffer.AsSpan(0, filled), complete: ended);
            if (ended || header.Status != HeaderStatus.NeedMoreData || filled == HeaderLimit)
            {
                return (filled, ended, header);
            }
        }
    }

    /// <summary>Refuses a file whose first <paramref name="filled"/> bytes show no acceptable image (format, corrupt header, too many pixels).</summary>
    internal static void CheckHeader(int filled, HeaderResult header, UploadOptions limits)
    {
        if (filled == 0)
        {
            throw new UploadRejectedException(UploadRejection.EmptyFile("file"));
        }

        switch (header.Status)
        {
            case HeaderStatus.Unsupported:
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                    "Unsupported file format", "file", header.Format is { } format
                        ? $"This {format.Label} file cannot be accepted: {header.Problem}."
                        : $"The file is not a {ImageFormat.Names} image (judged by its content, not its name)."));
            case HeaderStatus.Corrupt:
            case HeaderStatus.NeedMoreData:
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.CorruptImage,
                    "Corrupt image", "file", $"The {header.Format?.Name ?? "image"} header is unreadable: {header.Problem ?? "it is larger than 1 MB"}."));
        }

        var (limit, what) = PixelLimits.For(limits, header.DecodesInFull, header.BitsPerSample > 8);
        if (header.Pixels > limit)
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooManyPixels, "Too many pixels", "file",
                $"The image declares {header.Width}×{header.Height} pixels{(header.Frames > 1 ? $" in each of {header.Frames} frames" : "")}, above the limit of {limit} for {what}."));
        }
    }

    /// <summary>Reads until <paramref name="limit"/> bytes are in the buffer or the stream ends.</summary>
    private static async Task<(int Filled, bool Ended)> FillAsync(Stream body, byte[] buffer, int filled, int limit, CancellationToken cancellationToken)
    {
        while (filled < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken);
            if (read == 0)
            {
                return (filled, true);
            }

            filled += read;
        }

        return (filled, false);
    }
}
