using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

/// <summary>The shop's merchant (or the admin) withdraws a change that still waits for its code; its code stops working.</summary>
public sealed record CancelMainAccountChange(string ChangeId) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var change = await MainAccountChanges.Visible(ctx.Db, ctx.Actor.Principal, ChangeId, track: true, ct);
        if (change is null)
        {
            return Result.NotFound("main-account change");
        }
        if (!ctx.Actor.Principal.ActsForShop(change.ShopId))
        {
            return Result.Forbidden("Only the shop (or the admin) can cancel a main-account change.", "只有店铺（或管理员）才能取消主账户更换。");
        }
        var shop = await ctx.Db.Shops.AsNoTracking().SingleAsync(s => s.Id == change.ShopId, ct);
        if (ctx.Policies.Get(shop.PolicyId).MainAccount is not { } policy)
        {
            return MainAccountChanges.NotOffered(shop);
        }
        var decision = MainAccountRules.DecideCancel(change.ToDomain(), policy, ctx.Now);
        BinderyMetrics.Decision("main_account_change.cancel", "write", decision);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        var before = MainAccountChanges.Snapshot(change);
        change.State = MainAccountChangeState.Cancelled;
        change.EndedAt = ctx.Now;
        MainAccountChanges.WipeCode(change);
        ctx.Record("main_account_change", change.Id, "main_account_change.cancelled", change.ShopId, change.ToAccountId, before, MainAccountChanges.Snapshot(change));
        ctx.Emit(EventTypes.MainAccountChangeCancelled, change.Id, change.ShopId, change.ToAccountId, new { changeId = change.Id, change.ShopId, change.ToAccountId });
        return Result.Ok(MainAccountChangeView.From(change, policy, ctx.Now));
    }
}
