using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.Upload.Validation;

namespace Dental.Upload.Idempotency;

/// <summary>
/// Idempotency-Key around the upload endpoint. The first request with a key runs under a short lease it renews;
/// a retry after it succeeded replays its answer if it is the same request (same fingerprint) and is refused (422)
/// if it is another; a retry while it runs gets 409 with Retry-After; a failed or cut-off attempt frees the key at once.
/// Keys are scoped to the caller: another user's key never replays someone else's answer.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        var patientId = http.GetRouteValue("patientId") as string;
        if (key.Length == 0 || !PatientId.IsValid(patientId))
        {
            // No key, or a request the endpoint refuses before anything is stored.
            return await next(context);
        }

        if (key.Length > MaxKeyLength)
        {
            return UploadResults.Problem(UploadRejection.Invalid(Header, $"{Header} must be at most {MaxKeyLength} characters."), http);
        }

        var uploader = http.User.FindFirst(TokenSubject.ClaimType)!.Value;
        switch (await store.BeginAsync(http.User.Patient(patientId!), uploader, key, http.RequestAborted))
        {
            case IdempotencyStart.InProgress inProgress:
                return UploadResults.Problem(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Request in progress", Header,
                    $"A request with this {Header} is still being processed; retry after the time in Retry-After.") { RetryAfter = inProgress.RetryAfter }, http);
            case IdempotencyStart.Replay replay:
                http.Features.Set(new IdempotentAttempt(replay.Record));
                return await next(context);
            case IdempotencyStart.Begun begun:
                return await RunFirstAttemptAsync(context, next, begun.RecordName);
            default:
                throw new InvalidOperationException("Unknown idempotency start.");
        }
    }

    private async Task<object?> RunFirstAttemptAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string record)
    {
        var attempt = new IdempotentAttempt(finished: null);
        context.HttpContext.Features.Set(attempt);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(context.HttpContext.RequestAborted);
        var lease = store.HoldAsync(record, running.Token);
        try
        {
            return await next(context);
        }
        finally
        {
            await running.CancelAsync();
            await lease;
            await (attempt is { Answer.Succeeded: true, Fingerprint: { } fingerprint }
                ? store.CompleteAsync(record, attempt.Answer, fingerprint, CancellationToken.None)
                : store.AbandonAsync(record, CancellationToken.None));
        }
    }
}
