using Bindery.Domain;
using Bindery.Server.Features.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Shops;

/// <param name="MainAccountId">Never accepted: a main account is changed only through a verified change (DY-M1).</param>
public sealed record ShopPatch(string? Status, bool? EcommercePermission, string? ProbationEndsAt, bool? EndProbation, string? MerchantType,
    string? MainAccountId = null);

/// <summary>
/// Admin changes a shop's status, e-commerce permission, merchant type or probation (recorded in history). Closing
/// and closed belong to the shop's lifecycle (DY-L1): under a policy with a closure notice they are reached only by
/// POST /api/v1/shops/{id}/closure (notice, closesAt, every binding ending at the notice's end) and left only by its
/// cancel, so a plain edit into or out of them is refused with 409 <c>use_lifecycle_endpoint</c>. Under a policy
/// without a notice the admin closes the shop here, and it closes at once with every binding ending now (the same
/// lifecycle with no notice); "closing" is never written here.
/// </summary>
public sealed record UpdateShop(string Id, ShopStatus? Status, bool? EcommercePermission, DateTimeOffset? ProbationEndsAt, bool EndProbation,
    MerchantType? MerchantType) : IWriteCommand
{
    public static (UpdateShop? Command, FieldErrors Errors) From(string id, ShopPatch p)
    {
        var e = new FieldErrors();
        var status = e.Enum<ShopStatus>("status", p.Status, required: false);
        var type = e.Enum<MerchantType>("merchantType", p.MerchantType, required: false);
        var probation = e.Instant("probationEndsAt", p.ProbationEndsAt);
        if (p.MainAccountId is not null)
        {
            e.Add("mainAccountId", $"cannot be edited in place: start a change with POST /api/v1/shops/{id}/main-account-changes (DY-M1)");
        }
        return e.Any ? (null, e) : (new UpdateShop(id, status, p.EcommercePermission, probation, p.EndProbation ?? false, type), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var shop = await ctx.Db.Shops.SingleOrDefaultAsync(s => s.Id == Id, ct);
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var closesNow = false;
        if (Status is { } status && status != shop.Status)
        {
            var closure = ctx.Policies.Get(shop.PolicyId).Closure;
            if (status == ShopStatus.Closing || shop.Status == ShopStatus.Closing
                || (closure is not null && (status == ShopStatus.Closed || shop.Status == ShopStatus.Closed)))
            {
                return LifecycleOwns(shop.Id, shop.Status, status);
            }
            closesNow = status == ShopStatus.Closed;
        }
        var before = ShopView.From(shop);
        if (Status is { } next && next != shop.Status)
        {
            // Out of closed (no-notice policy only: its bindings have all ended) the closure dates go with it.
            shop.ClosureNoticeAt = closesNow ? ctx.Now : null;
            shop.ClosesAt = closesNow ? ctx.Now : null;
        }
        shop.Status = Status ?? shop.Status;
        shop.EcommercePermission = EcommercePermission ?? shop.EcommercePermission;
        shop.MerchantType = MerchantType ?? shop.MerchantType;
        shop.ProbationEndsAt = EndProbation ? null : ProbationEndsAt ?? shop.ProbationEndsAt;
        var after = ShopView.From(shop);
        ctx.Record("shop", Id, "shop.updated", Id, null, before, after);
        ctx.Emit(EventTypes.ShopUpdated, Id, Id, null, after);
        if (closesNow)
        {
            // DY-L1 with no notice: the shop is closed now, so every live binding ends now (nothing is deleted, DY-L3).
            ctx.Emit(EventTypes.ShopClosed, Id, Id, null, new { shopId = Id, closedAt = ctx.Now });
            var live = await ctx.Db.Bindings.Where(b => b.ShopId == Id
                && (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested)).ToListAsync(ct);
            foreach (var b in live)
            {
                await LifecycleTransitions.EndOrCancel(ctx, b, ctx.Now, LifecycleTransitions.EndedByShopClosure, ct);
            }
        }
        return Result.Ok(after);
    }

    private static Result LifecycleOwns(string id, ShopStatus from, ShopStatus to)
    {
        var endpoint = from == ShopStatus.Closing ? $"POST /api/v1/shops/{id}/closure/cancel" : $"POST /api/v1/shops/{id}/closure";
        var (en, zh) = (from, to) switch
        {
            (ShopStatus.Closing, _) => (
                $"The shop is under a closure notice; its status changes only through the notice: withdraw it with {endpoint}, or let it close at the notice's end (DY-L1).",
                $"店铺处于关店公示期，其状态只能通过公示变更：用 {endpoint} 撤回公示，或待公示期满自动关店（DY-L1）。"),
            (ShopStatus.Closed, _) => (
                $"The shop closed at the end of the closure notice published with {endpoint} and its bindings have ended; a closed shop's status is not edited (DY-L1).",
                $"店铺已在通过 {endpoint} 发布的关店公示期满后关闭，其绑定均已结束；已关闭店铺的状态不能编辑（DY-L1）。"),
            _ => (
                $"A shop is set to {Wire.Name(to)} only by publishing its closure notice with {endpoint}: the notice, its closesAt and the end of every binding come with it (DY-L1).",
                $"店铺只能通过 {endpoint} 发布关店公示进入“{Wire.Name(to)}”状态：公示、关店时间（closesAt）及全部绑定的结束随之生效（DY-L1）。"),
        };
        return Result.UseLifecycleEndpoint(endpoint, en, zh);
    }
}
