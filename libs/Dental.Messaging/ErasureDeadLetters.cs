using System.Text.Json;
using Dental.Contracts;

namespace Dental.Messaging;

/// <summary>The subscriptions this service consumes (what its dead letters are).</summary>
public sealed class ConsumedSubscriptions : List<(string Topic, string Subscription)>;

/// <summary>
/// Erasure's part in messaging: removes this service's dead letters about a patient or a clinic (every event names its
/// patient by clinicId and patientId), so a poison message cannot keep what the erasure removed elsewhere.
/// </summary>
public sealed class ErasureDeadLetters(DeadLetters deadLetters, ConsumedSubscriptions consumed)
{
    public async Task<int> PurgeAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var (topic, subscription) in consumed)
        {
            purged += await deadLetters.PurgeAsync(topic, subscription, letter => IsAbout(letter, scope), cancellationToken);
        }

        return purged;
    }

    public static bool IsAbout(DeadLetter letter, ErasureScope scope)
    {
        if (CloudEvents.TryParse(letter.Body, out _) is not { Data: { } data })
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(data.ToMemory());
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("clinicId", out var clinic) && clinic.ValueEquals(scope.ClinicId)
                && (scope.PatientId is null || (json.RootElement.TryGetProperty("patientId", out var id) && id.ValueEquals(scope.PatientId)));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
