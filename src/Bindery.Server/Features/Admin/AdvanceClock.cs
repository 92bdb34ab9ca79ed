using System.Globalization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Admin;

public sealed record AdvanceInput(string? By);

public sealed record ClockView(DateTimeOffset Now, string Offset, bool Movable);

/// <summary>X-5: move the test clock forward (demo and test mode only; the routes do not exist in production).</summary>
public sealed record AdvanceClock(TimeSpan By, [property: System.Text.Json.Serialization.JsonIgnore] AdjustableClock Clock) : IEndsBatch
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var offset = Clock.Offset + By;
        var row = await ctx.Db.Settings.SingleOrDefaultAsync(s => s.Key == ClockSync.SettingKey, ct);
        if (row is null)
        {
            ctx.Db.Settings.Add(new SettingRow { Key = ClockSync.SettingKey, Value = offset.Ticks.ToString(CultureInfo.InvariantCulture) });
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
        return Result.Ok(new ClockView(to, IsoDuration.Format(offset), true));
    }
}
