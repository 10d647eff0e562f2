using System.Buffers;
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
/// blocks, whatever the file size. A file that fits in the first block may be kept for a single write at
/// commit (one request instead of two, as the storage SDK does below its own threshold). Nothing is visible until
/// <see cref="OriginalCommitter"/> commits.
/// </summary>
public sealed class OriginalStager(ImageContainers containers, IOptions<UploadOptions> options)
{
    public const int BlockSize = 4 * 1024 * 1024;
    private const int HeaderLimit = 1024 * 1024;

    public async Task<StagedOriginal> StageAsync(Stream body, string patientId, UploadFields fields, string? fileName, bool mayHoldInMemory, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        var spare = ArrayPool<byte>.Shared.Rent(BlockSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task? pending = null;
        try
        {
            var (filled, ended, header) = await ReadHeaderAsync(body, buffer, cancellationToken);
            if (filled == 0)
            {
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.EmptyFile, "Empty file", "file", "The file is empty."));
            }

            CheckHeader(header, limits);
            var imageId = Guid.CreateVersion7();
            var blobName = BlobNames.Original(patientId, fields.Tooth, fields.Type, imageId, header.Format!.Extension);
            var blob = containers.Originals.GetBlockBlobClient(blobName);
            var blocks = new List<string>();
            long total = 0;
            while (filled > 0)
            {
                if (!ended && filled < BlockSize)
                {
                    (filled, ended) = await FillAsync(body, buffer, filled, BlockSize, cancellationToken);
                }

                total += filled;
                if (total > limits.MaxFileBytes)
                {
                    throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.FileTooLarge, "File too large", "file",
                        $"The file is larger than the limit of {limits.MaxFileBytes} bytes."));
                }

                hash.AppendData(buffer, 0, filled);
                if (ended && blocks.Count == 0 && mayHoldInMemory)
                {
                    return Staged(imageId, blobName, [], BinaryData.FromBytes(buffer.AsSpan(0, filled).ToArray()), hash, total, header, fileName);
                }

                var blockId = Convert.ToBase64String(BitConverter.GetBytes(blocks.Count).Concat(imageId.ToByteArray()).ToArray());
                blocks.Add(blockId);
                if (pending is not null)
                {
                    await pending;
                }

                // One block uploads while the next one is read from the client.
                pending = blob.StageBlockAsync(blockId, new MemoryStream(buffer, 0, filled, writable: false), cancellationToken: cancellationToken);
                (buffer, spare) = (spare, buffer);
                filled = 0;
                if (!ended)
                {
                    (filled, ended) = await FillAsync(body, buffer, 0, BlockSize, cancellationToken);
                }
            }

            if (pending is not null)
            {
                await pending;
            }

            return Staged(imageId, blobName, blocks, null, hash, total, header, fileName);
        }
        finally
        {
            if (pending is not null)
            {
                await pending.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private static StagedOriginal Staged(
        Guid imageId, string blobName, IReadOnlyList<string> blocks, BinaryData? content, IncrementalHash hash, long total, HeaderResult header, string? fileName) =>
        new(imageId, blobName, blocks, content, Convert.ToHexStringLower(hash.GetHashAndReset()), total, header.Format!, header.Width, header.Height, fileName);

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

    private static void CheckHeader(HeaderResult header, UploadOptions limits)
    {
        switch (header.Status)
        {
            case HeaderStatus.Unsupported:
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                    "Unsupported file format", "file", "The file is not a JPEG, PNG, TIFF or WebP image (judged by its content, not its name)."));
            case HeaderStatus.Corrupt:
            case HeaderStatus.NeedMoreData:
                throw new UploadRejectedException(new UploadRejection(StatusCodes.Status400BadRequest, ProblemTypes.CorruptImage,
                    "Corrupt image", "file", $"The {header.Format?.Name ?? "image"} header is unreadable: {header.Problem ?? "it is larger than 1 MB"}."));
        }

        var (limit, what) = PixelLimits.For(limits, header.DecodesInFull, header.BitsPerSample > 8);
        if (header.Pixels > limit)
        {
            throw new UploadRejectedException(new UploadRejection(StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooManyPixels, "Too many pixels", "file",
                $"The image declares {header.Width}×{header.Height} pixels, above the limit of {limit} for {what}."));
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
