namespace Dental.Messaging;

/// <summary>A failure that redelivery cannot fix (bad data): the message is dead-lettered at once.</summary>
public sealed class PermanentEventFailureException(string reason, Exception? inner = null) : Exception(reason, inner);
