using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Lifecycle;

public sealed record ClosureInput(string? Reason);

/// <summary>
/// DY-L1: the shop publishes a closure notice; it is "closing" (no new bindings, TS-E5/DY-L1) until the notice
/// period ends, then it closes and every binding ends. The merchant or the admin announces it.
/// </summary>
public sealed record AnnounceClosure(string ShopId, string? Reason) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var shop = ctx.Actor.Principal.ActsForShop(ShopId) ? await ctx.Db.Shops.SingleOrDefaultAsync(s => s.Id == ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var policy = ctx.Policies.Get(shop.PolicyId);
        if (policy.Closure is not { } closure)
        {
            return Result.Refused("not_in_policy", $"Policy '{policy.Id}' has no closure notice; an admin closes the shop at once with PATCH /api/v1/shops/{shop.Id} {{\"status\": \"closed\"}}, which ends its bindings (DY-L1).", $"规则 '{policy.Id}' 没有关店公示；管理员可用 PATCH /api/v1/shops/{shop.Id} {{\"status\": \"closed\"}} 立即关店，这会结束其所有绑定（DY-L1）。");
        }
        if (shop.Status is ShopStatus.Closing or ShopStatus.Closed)
        {
            return Result.Conflict($"The shop is already {Words.Value("status", Wire.Name(shop.Status), Language.En)}.", $"店铺已处于{Words.Value("status", Wire.Name(shop.Status), Language.ZhCn)}状态。");
        }
        var before = ShopView.From(shop);
        shop.Status = ShopStatus.Closing;
        shop.ClosureNoticeAt = ctx.Now;
        shop.ClosesAt = ctx.Now + closure.NoticePeriod;
        var after = ShopView.From(shop);
        ctx.Record("shop", shop.Id, "shop.closure_notice", shop.Id, null, before, after);
        ctx.Emit(EventTypes.ShopClosureNotice, shop.Id, shop.Id, null, new { shopId = shop.Id, noticeAt = ctx.Now, closesAt = shop.ClosesAt, reason = Reason });
        ctx.DueAt(shop.ClosesAt.Value);
        return Result.Ok(after);
    }
}

/// <summary>The shop withdraws its closure notice before the shop closes.</summary>
public sealed record CancelClosure(string ShopId) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var shop = ctx.Actor.Principal.ActsForShop(ShopId) ? await ctx.Db.Shops.SingleOrDefaultAsync(s => s.Id == ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        if (shop.Status != ShopStatus.Closing)
        {
            return Result.Conflict($"The shop is {Words.Value("status", Wire.Name(shop.Status), Language.En)}; only a closing shop can withdraw its notice.", $"店铺当前为{Words.Value("status", Wire.Name(shop.Status), Language.ZhCn)}状态，只有关店中的店铺才能撤回关店公示。");
        }
        var before = ShopView.From(shop);
        shop.Status = ShopStatus.Normal;
        shop.ClosureNoticeAt = null;
        shop.ClosesAt = null;
        var after = ShopView.From(shop);
        ctx.Record("shop", shop.Id, "shop.closure_cancelled", shop.Id, null, before, after);
        ctx.Emit(EventTypes.ShopClosureCancelled, shop.Id, shop.Id, null, new { shopId = shop.Id });
        return Result.Ok(after);
    }
}
