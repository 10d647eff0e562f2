using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Storage;

/// <summary>The first complete answer to a request with an Idempotency-Key, replayed for its retries.</summary>
public sealed record IdempotencyRecord(bool Completed, int Status, string? Body, string? Location, DateTimeOffset CreatedAt);

public abstract record IdempotencyStart
{
    public sealed record Begun(string RecordName) : IdempotencyStart;

    public sealed record Replay(IdempotencyRecord Record) : IdempotencyStart;

    public sealed record InProgress : IdempotencyStart;
}

public sealed class IdempotencyStore(StateBlobs state, IOptions<UploadOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(5);

    public async Task<IdempotencyStart> BeginAsync(string patientId, string user, string key, CancellationToken cancellationToken)
    {
        // Keys are scoped to the caller: another user's key never replays someone else's answer.
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\n" + key)));
        var name = StateBlobs.Idempotency(patientId, keyHash);
        var pending = new IdempotencyRecord(false, 0, null, null, time.GetUtcNow());
        while (true)
        {
            if (await state.TryCreateAsync(name, pending, cancellationToken))
            {
                return new IdempotencyStart.Begun(name);
            }

            if (await state.ReadAsync<IdempotencyRecord>(name, cancellationToken) is not { } existing)
            {
                continue;
            }

            var age = time.GetUtcNow() - existing.Value.CreatedAt;
            var expired = existing.Value.Completed ? age > options.Value.IdempotencyRetention : age > PendingTimeout;
            if (!expired)
            {
                return existing.Value.Completed ? new IdempotencyStart.Replay(existing.Value) : new IdempotencyStart.InProgress();
            }

            if (await state.TryReplaceAsync(name, pending, existing.ETag, cancellationToken))
            {
                return new IdempotencyStart.Begun(name);
            }
        }
    }

    public Task CompleteAsync(string recordName, int status, string body, string? location, CancellationToken cancellationToken) =>
        state.WriteAsync(recordName, new IdempotencyRecord(true, status, body, location, time.GetUtcNow()), cancellationToken);

    /// <summary>The request failed: a retry with the same key starts afresh.</summary>
    public Task AbandonAsync(string recordName, CancellationToken cancellationToken) => state.DeleteAsync(recordName, cancellationToken);
}
