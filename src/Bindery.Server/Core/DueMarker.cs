using System.Globalization;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Core;

/// <summary>
/// The <see cref="DueHint"/> for several nodes (ADR 0011): the earliest instant anything may fall due, kept in the
/// database (<c>settings</c>, <c>due.next_ticks</c>) and written by every write on PostgreSQL, under the write lock,
/// in the write's transaction. Every due instant is created by a write and every write settles first, so a read on
/// any node that finds the clock before this instant knows nothing is due; a missing row means "settle".
/// </summary>
public static class DueMarker
{
    public const string SettingKey = "due.next_ticks";

    public static async Task<DateTimeOffset> Read(BinderyDb db, CancellationToken ct)
    {
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        return row is not null && long.TryParse(row.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : DateTimeOffset.MinValue;
    }

    /// <summary>Stages the new marker (the write saves it with everything else); only a write that settled knows it.</summary>
    public static async Task Stage(BinderyDb db, DateTimeOffset? next, CancellationToken ct)
    {
        if (next is not { } at)
        {
            return;
        }
        var value = at.UtcTicks.ToString(CultureInfo.InvariantCulture);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (row is null)
        {
            db.Settings.Add(new SettingRow { Key = SettingKey, Value = value });
        }
        else if (row.Value != value)
        {
            row.Value = value;
        }
    }
}
