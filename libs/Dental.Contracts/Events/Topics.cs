namespace Dental.Contracts.Events;

public static class Topics
{
    /// <summary>Every image lifecycle event travels on this one topic.</summary>
    public const string Images = "images";
}
