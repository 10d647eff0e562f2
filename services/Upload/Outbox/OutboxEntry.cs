using Dental.Contracts.Events;

namespace Dental.Upload.Outbox;

/// <summary>An ImageUploaded event not yet known to be published, with the trace it belongs to.</summary>
public sealed record OutboxEntry(ImageUploaded Event, string? TraceParent);
