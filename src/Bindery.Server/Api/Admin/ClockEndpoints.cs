using Bindery.Domain;
using Bindery.Server.Features.Admin;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Admin;

public static class ClockEndpoints
{
    /// <summary>The most one advance moves the clock: ten years.</summary>
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(3660);

    public static void MapClockEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/clock").WithTags("Test clock");
        g.MapGet("/", async (AdjustableClock clock, HttpContext http, CancellationToken ct) =>
            {
                // Several nodes: settling reads the shared offset first, so every node shows the same moved clock.
                await http.Settle(ct);
                return Result.Ok(new ClockView(clock.GetUtcNow(), IsoDuration.Format(clock.Offset), true)).ToHttp();
            })
            .Requires(Callers.Anyone).WithName("GetClock").WithSummary("The service's current instant and how far it has been moved.").Produces<ClockView>();
        g.MapPost("/advance", async (AdvanceInput body, HttpContext http, AdjustableClock clock, WritePipeline pipeline, CancellationToken ct) =>
        {
            if (!IsoDuration.TryParse(body.By, out var by) || by <= TimeSpan.Zero || by > MaxAdvance)
            {
                return http.Invalid("by", $"must be a positive exact ISO 8601 duration of at most {IsoDuration.Format(MaxAdvance)}, such as PT49H or P7D (the clock only moves forward)");
            }
            if (clock.GetUtcNow() + by >= FieldErrors.MaxInstant)
            {
                return http.Invalid("by", $"would move the clock past {FieldErrors.MaxInstant:yyyy-MM-dd}");
            }
            var result = await http.Send(new AdvanceClock(by, clock), ct);
            if (result.IsSuccess)
            {
                await pipeline.SettleIfDue(ct);
            }
            return result.ToHttp();
        }).Requires(Callers.Admin).WithName("AdvanceClock").WithSummary("Move the clock forward (admin; demo and test mode only).")
            .Produces<ClockView>().ProducesProblem(400).ProducesProblem(403);
    }
}
