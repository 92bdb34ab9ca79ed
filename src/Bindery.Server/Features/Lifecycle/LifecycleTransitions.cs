using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Bindings;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Lifecycle;

/// <summary>
/// DY-L1 and DY-L2: a shop whose closure notice has run out closes and every binding it holds ends; an account
/// deleted long enough ago loses its binding. Recorded at the instant each became due. Nothing is deleted (DY-L3).
/// </summary>
public static class LifecycleTransitions
{
    public const string EndedByShopClosure = "shop_closed";
    public const string EndedByAccountDeletion = "account_deleted";

    public static async Task<DateTimeOffset?> SettleDue(WriteContext ctx, CancellationToken ct)
    {
        var db = ctx.Db;
        var now = ctx.Now;
        // Closures and deletions that are due, applied in the order they fell due, each seeing the ones before it: a
        // binding ended by an account deletion on day 7 is not ended again by its shop's closure on day 30, nor is an
        // invitation expired or a binding auto-unlinked earlier in this settle (the loaded rows are the tracked ones).
        var closing = await db.Shops.Where(s => s.Status == ShopStatus.Closing && s.ClosesAt != null && s.ClosesAt <= now).ToListAsync(ct);
        var dueAccounts = await db.Accounts.Where(a => a.BindingsEndAt != null && a.BindingsEndAt <= now).Select(a => new { a.Id, a.BindingsEndAt })
            .ToListAsync(ct);
        var due = closing.Select(s => (At: s.ClosesAt!.Value, Shop: (ShopRow?)s, AccountId: (string?)null))
            .Concat(dueAccounts.Select(a => (At: a.BindingsEndAt!.Value, Shop: (ShopRow?)null, AccountId: (string?)a.Id)))
            .OrderBy(d => d.At).ToList();
        foreach (var (at, shop, accountId) in due)
        {
            if (shop is not null)
            {
                var before = Snapshots.Of(shop);
                shop.Status = ShopStatus.Closed;
                ctx.Record("shop", shop.Id, "shop.closed", shop.Id, null, before, Snapshots.Of(shop), Actor.System, at);
                ctx.Emit(EventTypes.ShopClosed, shop.Id, shop.Id, null, new { shopId = shop.Id, closedAt = at }, at);
            }
            var live = (await db.Bindings.Where(b => (shop != null ? b.ShopId == shop.Id : b.AccountId == accountId)
                && (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested)).ToListAsync(ct))
                .Where(b => b.State is BindingState.Invited or BindingState.Active or BindingState.UnlinkRequested).ToList();
            foreach (var b in live)
            {
                await EndOrCancel(ctx, b, at, shop is not null ? EndedByShopClosure : EndedByAccountDeletion, ct);
            }
        }

        var nextClosure = await db.Shops.Where(s => s.Status == ShopStatus.Closing && s.ClosesAt > now)
            .OrderBy(s => s.ClosesAt).Select(s => s.ClosesAt).FirstOrDefaultAsync(ct);
        var nextDeletion = await db.Accounts.Where(a => a.BindingsEndAt > now)
            .OrderBy(a => a.BindingsEndAt).Select(a => a.BindingsEndAt).FirstOrDefaultAsync(ct);
        return Instants.Earliest(nextClosure, nextDeletion);
    }

    /// <summary>Ends a live binding for a lifecycle reason: an invitation is cancelled, an active binding ended, a pending unlink request cancelled.</summary>
    public static async Task EndOrCancel(WriteContext ctx, BindingRow b, DateTimeOffset at, string reason, CancellationToken ct)
    {
        // (Filtered again in memory: a row settled earlier in this transaction is tracked with its new state.)
        var pending = (await ctx.Db.UnlinkRequests.Where(u => u.BindingId == b.Id && u.State == UnlinkState.Pending).ToListAsync(ct))
            .Where(u => u.State == UnlinkState.Pending);
        foreach (var u in pending)
        {
            var before = Snapshots.Of(u);
            u.State = UnlinkState.Cancelled;
            u.DecidedAt = at;
            u.DecidedBy = "system";
            u.DecisionNote = "the binding ended first: " + reason;
            ctx.Record("unlink_request", u.Id, "unlink_request.cancelled", u.ShopId, u.AccountId, before, Snapshots.Of(u), Actor.System, at);
        }
        // An application to end a binding that has ended anyway is closed: nothing is left to review (DY-A2).
        var applications = await ctx.Db.UnbindApplications
            .Where(a => a.BindingId == b.Id && (a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview)).ToListAsync(ct);
        foreach (var a in applications.Where(a => a.State is ApplicationState.Submitted or ApplicationState.UnderReview))
        {
            var aBefore = new { a.Id, state = Wire.Name(a.State) };
            a.State = ApplicationState.Withdrawn;
            a.UpdatedAt = at;
            a.DecidedAt = at;
            a.DecidedBy = "system";
            a.DecisionReason = "the binding ended first: " + reason;
            ctx.Record("unbind_application", a.Id, "unbind_application.withdrawn", a.ShopId, null, aBefore,
                new { a.Id, state = Wire.Name(a.State), reason = a.DecisionReason }, Actor.System, at);
            ctx.Emit(EventTypes.UnbindApplicationWithdrawn, a.Id, a.ShopId, a.AccountId, new { applicationId = a.Id, bindingId = b.Id, reason }, at);
        }
        if (b.State == BindingState.Invited)
        {
            var before = Snapshots.Of(b);
            b.State = BindingState.Cancelled;
            b.EndedAt = at;
            b.EndedBy = "system";
            b.EndReason = reason;
            ctx.Record("binding", b.Id, "invitation.cancelled", b.ShopId, b.AccountId, before, Snapshots.Of(b), Actor.System, at);
            ctx.Emit(EventTypes.InvitationCancelled, b.Id, b.ShopId, b.AccountId, new { bindingId = b.Id, b.ShopId, b.AccountId, reason }, at);
            return;
        }
        BindingEnds.End(ctx, b, at, "system", reason, Actor.System);
    }
}
