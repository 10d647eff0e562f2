using System.Text.Json.Serialization;

namespace Dental.Clinics;

[JsonConverter(typeof(JsonStringEnumConverter<ClinicStatus>))]
public enum ClinicStatus
{
    /// <summary>Served.</summary>
    Active,

    /// <summary>Refused for now (unpaid, under investigation); its data stays.</summary>
    Suspended,

    /// <summary>Offboarded: refused for good.</summary>
    Closed,
}

/// <summary>One registered clinic: its opaque id, an operator's label for it, its status and when that last changed.</summary>
public sealed record ClinicRecord(string Id, string? Label, ClinicStatus Status, DateTimeOffset ChangedAt);
