namespace Dental.Contracts.Events;

/// <summary>
/// What makes an uploaded image a variant: the original it belongs to (<see cref="Of"/>), its <see cref="VariantKind"/>, and who
/// produced it (the user, or for an integration its model name and version). A variant lives under its original's blob names and
/// follows it; it never counts as an image of its own.
/// </summary>
public sealed record VariantFacts(Guid Of, string Kind, string Producer);
