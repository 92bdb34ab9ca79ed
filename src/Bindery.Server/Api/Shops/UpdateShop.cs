using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Shops;

/// <param name="MainAccountId">Never accepted: a main account is changed only through a verified change (DY-M1).</param>
public sealed record ShopPatch(string? Status, bool? EcommercePermission, string? ProbationEndsAt, bool? EndProbation, string? MerchantType,
    string? MainAccountId = null);

/// <summary>Admin changes a shop's status, e-commerce permission, merchant type or probation (recorded in history).</summary>
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

    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        var shop = await ctx.Db.Shops.SingleOrDefaultAsync(s => s.Id == Id, ct);
        if (shop is null)
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "shop"));
        }
        var before = ShopView.From(shop);
        shop.Status = Status ?? shop.Status;
        shop.EcommercePermission = EcommercePermission ?? shop.EcommercePermission;
        shop.MerchantType = MerchantType ?? shop.MerchantType;
        shop.ProbationEndsAt = EndProbation ? null : ProbationEndsAt ?? shop.ProbationEndsAt;
        var after = ShopView.From(shop);
        ctx.Record("shop", Id, "shop.updated", Id, null, before, after);
        ctx.Emit("shop.updated", Id, Id, null, after);
        return Outcome.Ok(after);
    }
}
