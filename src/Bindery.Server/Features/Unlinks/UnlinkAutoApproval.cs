using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Unlinks;

/// <summary>TS-U4 settle step: an unlink request the shop leaves unanswered is approved at its auto-approval instant.</summary>
public static class UnlinkAutoApproval
{
    public static async Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct)
    {
        var now = ctx.Now;
        var due = await ctx.Db.UnlinkRequests
            .Where(u => u.State == UnlinkState.Pending && u.AutoApproveAt <= now)
            .OrderBy(u => u.AutoApproveAt)
            .ToListAsync(ct);
        foreach (var u in due)
        {
            var binding = await ctx.Db.Bindings.SingleAsync(b => b.Id == u.BindingId, ct);
            var before = Snapshots.Of(u);
            u.State = UnlinkState.AutoApproved;
            u.DecidedAt = u.AutoApproveAt;
            u.DecidedBy = "system";
            u.DecisionNote = "no answer from the shop within the policy period (TS-U4)";
            ctx.Record("unlink_request", u.Id, "unlink_request.auto_approved", u.ShopId, u.AccountId, before, Snapshots.Of(u), at: u.AutoApproveAt);
            ctx.Emit(EventTypes.UnlinkRequestAutoApproved, u.Id, u.ShopId, u.AccountId, new { unlinkRequestId = u.Id, bindingId = u.BindingId }, u.AutoApproveAt);
            BindingEnds.End(ctx, binding, u.AutoApproveAt, "system", BindingEnds.UnlinkAutoApproved, Actor.System);
        }
        return await ctx.Db.UnlinkRequests.Where(u => u.State == UnlinkState.Pending && u.AutoApproveAt > now)
            .OrderBy(u => u.AutoApproveAt).Select(u => (DateTimeOffset?)u.AutoApproveAt).FirstOrDefaultAsync(ct);
    }
}
