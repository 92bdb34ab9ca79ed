using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

/// <summary>
/// DY-M2 settle step (one of the <see cref="ISettleStep"/>s): a change still waiting for its code when its window ends
/// becomes <c>expired</c>, recorded at <c>windowEndsAt</c> whenever it is noticed. Code expiry and lock end need no
/// record: the rules and views read them from the clock.
/// </summary>
public static class ExpireMainAccountChanges
{
    public static async Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct)
    {
        var now = ctx.Now;
        var due = await ctx.Db.MainAccountChanges
            .Where(c => c.State == MainAccountChangeState.AwaitingCode && c.WindowEndsAt <= now)
            .OrderBy(c => c.WindowEndsAt)
            .ToListAsync(ct);
        foreach (var c in due)
        {
            var before = MainAccountChanges.Snapshot(c);
            c.State = MainAccountChangeState.Expired;
            c.EndedAt = c.WindowEndsAt;
            MainAccountChanges.WipeCode(c);
            ctx.Record("main_account_change", c.Id, "main_account_change.expired", c.ShopId, c.ToAccountId, before, MainAccountChanges.Snapshot(c), at: c.WindowEndsAt);
            ctx.Emit(EventTypes.MainAccountChangeExpired, c.Id, c.ShopId, c.ToAccountId,
                new { changeId = c.Id, c.ShopId, c.ToAccountId, c.WindowEndsAt }, c.WindowEndsAt);
        }
        return await ctx.Db.MainAccountChanges
            .Where(c => c.State == MainAccountChangeState.AwaitingCode && c.WindowEndsAt > now)
            .OrderBy(c => c.WindowEndsAt)
            .Select(c => (DateTimeOffset?)c.WindowEndsAt)
            .FirstOrDefaultAsync(ct);
    }
}
