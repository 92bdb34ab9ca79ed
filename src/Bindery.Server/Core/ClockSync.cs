using System.Globalization;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Core;

/// <summary>
/// Several nodes on one PostgreSQL database share one movable clock: each write and each settling read first
/// reads the stored offset, so a move made through any node holds on every node from its next request on.
/// With SQLite (one node) the offset is read once at start and moved in memory on each commit.
/// </summary>
public sealed class ClockSync(AdjustableClock clock, bool sharedStore, bool movable)
{
    /// <summary>True when several nodes may share the database (PostgreSQL).</summary>
    public bool SharedStore => sharedStore;

    public async Task Refresh(BinderyDb db, CancellationToken ct)
    {
        if (sharedStore && movable)
        {
            await Restore(db, clock, ct);
        }
    }

    /// <summary>Where the moved clock's offset is kept, so every node and a restarted demo share it.</summary>
    public const string SettingKey = "clock.offset_ticks";

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
