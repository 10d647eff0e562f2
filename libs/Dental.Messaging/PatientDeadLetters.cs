using System.Text.Json;
using Dental.Contracts;

namespace Dental.Messaging;

/// <summary>The subscriptions this service consumes (what its dead letters are).</summary>
public sealed class ConsumedSubscriptions : List<(string Topic, string Subscription)>;

/// <summary>
/// Erasure's part in messaging: removes this service's dead letters about one patient (every event names its patient by
/// clinicId and patientId), so a poison message cannot keep what the patient's erasure removed elsewhere.
/// </summary>
public sealed class PatientDeadLetters(DeadLetters deadLetters, ConsumedSubscriptions consumed)
{
    public async Task<int> PurgeAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var (topic, subscription) in consumed)
        {
            purged += await deadLetters.PurgeAsync(topic, subscription, letter => IsAbout(letter, patient), cancellationToken);
        }

        return purged;
    }

    public static bool IsAbout(DeadLetter letter, PatientKey patient)
    {
        if (CloudEvents.TryParse(letter.Body, out _) is not { Data: { } data })
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(data.ToMemory());
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("clinicId", out var clinic) && clinic.ValueEquals(patient.ClinicId)
                && json.RootElement.TryGetProperty("patientId", out var id) && id.ValueEquals(patient.PatientId);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
