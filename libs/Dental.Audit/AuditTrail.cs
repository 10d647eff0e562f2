using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Audit;

/// <summary>
/// Writes audit records with group commit: a caller's <see cref="WriteAsync"/> completes once its record is durably appended,
/// and whatever arrives while one append is in flight goes into the next (one append block per clinic and hour). So an
/// answer that waits for its record is never given without it, at the cost of one append per batch, not per request.
/// </summary>
public sealed partial class AuditTrail(AuditStore store, IOptions<AuditOptions> options, ILogger<AuditTrail> logger) : BackgroundService
{
    /// <summary>Append blobs take at most 50 000 blocks; a writer moves on to its next segment before that.</summary>
    private const int BlocksPerSegment = 49_000;

    /// <summary>The append-block size every service version takes.</summary>
    private const int MaxBlockBytes = 4 * 1024 * 1024;

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Segment> _segments = [];

    /// <summary>This process's part of every blob name: two instances of a service never append to the same blob.</summary>
    private readonly string _writer = $"{SafeName(AppDomain.CurrentDomain.FriendlyName)}-{Guid.CreateVersion7():N}";

    public bool Enabled => options.Value.Enabled;

    /// <summary>Appends <paramref name="record"/>; completes when it is stored, fails with <see cref="AuditUnavailableException"/> when it could not be.</summary>
    public Task WriteAsync(AuditRecord record)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending) ? pending.Stored.Task : Task.FromException(new AuditUnavailableException("The audit trail is shutting down.", null));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            LogDisabled(logger);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Requests have finished by now (the server stops first); write what they left, then stop.
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < options.Value.MaxBatchRecords && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await CommitAsync(batch);
                batch.ForEach(p => p.Stored.TrySetResult());
            }
            catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException or OperationCanceledException)
            {
                LogCommitFailed(logger, batch.Count, ex.Message.Split('\n')[0]);
                var failure = new AuditUnavailableException("The audit trail could not be written.", ex);
                batch.ForEach(p => p.Stored.TrySetException(failure));
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(batch
            .GroupBy(p => (Scope: AuditBlobNames.Scope(p.Record.ClinicId), Hour: AuditBlobNames.HourFolder(AuditBlobNames.Scope(p.Record.ClinicId), p.Record.Time)))
            .Select(group => AppendAsync(group.Key.Scope, group.First().Record.Time, group.Key.Hour, group.Select(p => p.Record))));
        AuditMetrics.Committed(batch.Count, Stopwatch.GetElapsedTime(started));
    }

    private async Task AppendAsync(string scope, DateTimeOffset time, string hourFolder, IEnumerable<AuditRecord> records)
    {
        foreach (var block in Blocks(records))
        {
            var segment = NextSegment(time, hourFolder);
            var blob = store.Container.GetAppendBlobClient(AuditBlobNames.Blob(scope, time, _writer, segment.Number));
            if (!segment.Created)
            {
                await blob.CreateIfNotExistsAsync();
                segment.Created = true;
            }

            try
            {
                await blob.AppendBlockAsync(new MemoryStream(block, writable: false));
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                // The store was replaced under a running writer (its container recreated): start the blob again.
                await blob.CreateIfNotExistsAsync();
                await blob.AppendBlockAsync(new MemoryStream(block, writable: false));
            }
        }
    }

    /// <summary>The segment of this hour to append to; one block per call, so each commit moves it on by one.</summary>
    private Segment NextSegment(DateTimeOffset time, string hourFolder)
    {
        lock (_segments)
        {
            if (!_segments.TryGetValue(hourFolder, out var segment) || segment.Blocks >= BlocksPerSegment)
            {
                segment = new Segment(segment is null ? 0 : segment.Number + 1, time);
                _segments[hourFolder] = segment;
                // Hours long past are not written to again (a refusal count is at most minutes late): forget them.
                foreach (var old in _segments.Where(s => s.Value.Time < time.AddHours(-3)).Select(s => s.Key).ToList())
                {
                    _segments.Remove(old);
                }
            }

            segment.Blocks++;
            return segment;
        }
    }

    /// <summary>The records as JSON lines, cut into blocks no larger than an append block may be.</summary>
    private static IEnumerable<byte[]> Blocks(IEnumerable<AuditRecord> records)
    {
        var block = new MemoryStream();
        foreach (var record in records)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(record, Json);
            if (block.Length > 0 && block.Length + line.Length + 1 > MaxBlockBytes)
            {
                yield return block.ToArray();
                block.SetLength(0);
            }

            block.Write(line);
            block.WriteByte((byte)'\n');
        }

        if (block.Length > 0)
        {
            yield return block.ToArray();
        }
    }

    private static string SafeName(string name) =>
        new string([.. name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '.')]).Replace('.', '-');

    private sealed record Pending(AuditRecord Record, TaskCompletionSource Stored);

    private sealed class Segment(int number, DateTimeOffset time)
    {
        public int Number { get; } = number;

        public DateTimeOffset Time { get; } = time;

        public int Blocks { get; set; }

        public bool Created { get; set; }
    }

    [LoggerMessage(LogLevel.Warning, "The audit trail is OFF (Audit:Enabled is false): requests to patient data leave no record. Use this only to measure its cost.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(LogLevel.Error, "Could not write {Count} audit records; their requests fail: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, int count, string reason);
}

public sealed class AuditUnavailableException(string message, Exception? inner) : Exception(message, inner);
