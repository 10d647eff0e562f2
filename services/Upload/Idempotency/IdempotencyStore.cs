using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dental.Contracts;
using Dental.Upload.Store;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Idempotency;

/// <summary>
/// A request's Idempotency-Key record: while the first attempt runs, a short lease it keeps renewing; once it
/// succeeded, its answer and the fingerprint of the request that earned it.
/// </summary>
public sealed record IdempotencyRecord(bool Completed, int Status, string? Body, string? Location, string? Fingerprint, DateTimeOffset CreatedAt, DateTimeOffset LeaseUntil)
{
    /// <summary>The first attempt's answer, as a retry of the same request gets it.</summary>
    public UploadAnswer Replay() => new(Status, JsonSerializer.Deserialize<UploadResponse>(Body!, JsonSerializerOptions.Web), Location, Replayed: true);
}

public abstract record IdempotencyStart
{
    public sealed record Begun(string RecordName) : IdempotencyStart;

    public sealed record Replay(IdempotencyRecord Record) : IdempotencyStart;

    public sealed record InProgress(TimeSpan RetryAfter) : IdempotencyStart;
}

public sealed class IdempotencyStore(UploadRecords records, IOptions<UploadOptions> options, TimeProvider time)
{
    /// <summary>How long an attempt holds its key without renewing: a crashed attempt frees it within this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    public async Task<IdempotencyStart> BeginAsync(PatientKey patient, string user, string key, CancellationToken cancellationToken)
    {
        // Keys are scoped to the caller: another user's key never replays someone else's answer.
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\n" + key)));
        var name = UploadRecords.Idempotency(patient, keyHash);
        while (true)
        {
            var now = time.GetUtcNow();
            var pending = new IdempotencyRecord(false, 0, null, null, null, now, now + Lease);
            if (await records.TryCreateAsync(name, pending, cancellationToken))
            {
                return new IdempotencyStart.Begun(name);
            }

            if (await records.ReadAsync<IdempotencyRecord>(name, cancellationToken) is not { } existing)
            {
                continue;
            }

            var record = existing.Value;
            if (record.Completed && now - record.CreatedAt <= options.Value.IdempotencyRetention)
            {
                return new IdempotencyStart.Replay(record);
            }

            if (!record.Completed && now < record.LeaseUntil)
            {
                return new IdempotencyStart.InProgress(record.LeaseUntil - now);
            }

            if (await records.TryReplaceAsync(name, pending, existing.ETag, cancellationToken))
            {
                return new IdempotencyStart.Begun(name);
            }
        }
    }

    /// <summary>Renews the attempt's lease until <paramref name="cancellationToken"/> ends it (the attempt finished).</summary>
    public async Task HoldAsync(string recordName, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = time.GetUtcNow();
                if (await records.ReadAsync<IdempotencyRecord>(recordName, cancellationToken) is not { Value.Completed: false } current
                    || !await records.TryReplaceAsync(recordName, current.Value with { LeaseUntil = now + Lease }, current.ETag, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The attempt succeeded: its answer is kept for retries of the same request (the fingerprint says which).</summary>
    public Task CompleteAsync(string recordName, UploadAnswer answer, string fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var body = JsonSerializer.Serialize(answer.Body, JsonSerializerOptions.Web);
        return records.WriteAsync(recordName, new IdempotencyRecord(true, answer.Status, body, answer.Location, fingerprint, now, now), cancellationToken);
    }

    /// <summary>The attempt failed or was cut off: a retry with the same key starts afresh at once.</summary>
    public Task AbandonAsync(string recordName, CancellationToken cancellationToken) => records.DeleteAsync(recordName, cancellationToken);
}
