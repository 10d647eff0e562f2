namespace Dental.Audit;

/// <summary>
/// One entry of the audit trail: who (actor, their clinic and role, the client's address) did what (action) to which
/// patient and images, with what outcome (the HTTP status), when, under which trace. Ids only: never a file name, a note,
/// image bytes or a token. A gateway refusal record stands for <see cref="Count"/> refusals of one actor or address
/// within the minute starting at <see cref="Time"/>.
/// </summary>
public sealed record AuditRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The clinic the actor's token acts in; null only for refusals of callers without a valid token.</summary>
    public string? ClinicId { get; init; }

    /// <summary>The token's subject, or null when the caller had no valid token (then <see cref="ClientAddress"/> identifies it).</summary>
    public string? Actor { get; init; }

    public string? Role { get; init; }

    public required string Action { get; init; }

    /// <summary>The kind of event (data_access, data_create, data_update, data_delete, right_to_erasure, access_refused).</summary>
    public required string EventType { get; init; }

    public string? PatientId { get; init; }

    public required IReadOnlyList<string> ImageIds { get; init; }

    /// <summary>The HTTP status the caller got.</summary>
    public required int Outcome { get; init; }

    public string? TraceId { get; init; }

    public string? ClientAddress { get; init; }

    /// <summary>The service that answered (and wrote this record).</summary>
    public required string Service { get; init; }

    /// <summary>How many requests this record stands for (1, or a refusal aggregate's count).</summary>
    public required int Count { get; init; }
}
