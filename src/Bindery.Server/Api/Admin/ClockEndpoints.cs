using System.Globalization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Admin;

public sealed record AdvanceInput(string? By);

public sealed record ClockView(DateTimeOffset Now, string Offset, bool Movable);

/// <summary>X-5: move the test clock forward (demo and test mode only; the routes do not exist in production).</summary>
public sealed record AdvanceClock(TimeSpan By, [property: System.Text.Json.Serialization.JsonIgnore] AdjustableClock Clock) : IEndsBatch
{
    public const string SettingKey = "clock.offset_ticks";

    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        var offset = Clock.Offset + By;
        var row = await ctx.Db.Settings.SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (row is null)
        {
            ctx.Db.Settings.Add(new SettingRow { Key = SettingKey, Value = offset.Ticks.ToString(CultureInfo.InvariantCulture) });
        }
        else
        {
            row.Value = offset.Ticks.ToString(CultureInfo.InvariantCulture);
        }
        var to = ctx.Now + By;
        ctx.Record("clock", "clock", "clock.advanced", null, null, new { now = ctx.Now }, new { now = to, by = IsoDuration.Format(By) });
        ctx.Emit(EventTypes.ClockAdvanced, "clock", null, null, new { from = ctx.Now, to, by = IsoDuration.Format(By) });
        // Moved inside the write gate once stored, so a concurrent move starts from this one's end.
        var clock = Clock;
        var by = By;
        ctx.OnCommit(() => clock.Advance(by));
        return Outcome.Ok(new ClockView(to, IsoDuration.Format(offset), true));
    }

    /// <summary>At start: the persisted offset, so a restarted demo keeps its rehearsed time.</summary>
    public static async Task Restore(BinderyDb db, AdjustableClock clock, CancellationToken ct)
    {
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (row is not null && long.TryParse(row.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
        {
            clock.SetOffset(TimeSpan.FromTicks(ticks));
        }
    }
}

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
                return Outcome.Ok(new ClockView(clock.GetUtcNow(), IsoDuration.Format(clock.Offset), true));
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
            var outcome = await http.Write(new AdvanceClock(by, clock), ct);
            if (outcome is Outcome { IsSuccess: true })
            {
                await pipeline.SettleIfDue(ct);
            }
            return outcome;
        }).Requires(Callers.Admin).WithName("AdvanceClock").WithSummary("Move the clock forward (admin; demo and test mode only).")
            .Produces<ClockView>().ProducesProblem(400).ProducesProblem(403);
    }
}
