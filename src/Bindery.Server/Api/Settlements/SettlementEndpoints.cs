using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Settlements;

/// <summary>Who is paid: the shop's payment account, or the account's own.</summary>
public sealed record Recipient(string Kind, string? ShopId, string? PaymentAccount, string? AccountId);

public sealed record AttributionView(string AccountId, DateTimeOffset At, Recipient Recipient, AsOfBinding? Binding, string? Rule, string Explanation);

public static class SettlementEndpoints
{
    public static void MapSettlementEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/settlements/attribution", Attribution).WithTags("Settlement").Requires(Callers.Merchant | Callers.Creator, Permission.Finance).WithName("GetAttribution")
            .WithSummary("Which payment account receives income the account earned at an instant (DY-O1), from the binding history.")
            .Produces<AttributionView>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> Attribution(string? accountId, string? at, HttpContext http, BinderyDb db, PolicyCatalog policies,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Id("accountId", accountId, required: true);
        var instant = at is null ? clock.GetUtcNow() : errors.Instant("at", at);
        if (errors.Any || instant is null)
        {
            return errors.Problem(http.Lang());
        }
        await http.Settle(ct);
        var p = http.Principal();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct);
        var visible = account is not null && (p.ActsForAccount(account.Id)
            || (p.Kind == PrincipalKind.Merchant && await db.Bindings.AnyAsync(b => b.AccountId == accountId && b.ShopId == p.ShopId, ct)));
        if (!visible)
        {
            return http.NotFound("account");
        }
        var t = instant.Value;
        // X-6 / DY-O1: the binding in force at t, half-open [activatedAt, endedAt).
        var b = await db.Bindings.AsNoTracking()
            .Where(x => x.AccountId == accountId && x.ActivatedAt != null && x.ActivatedAt <= t && (x.EndedAt == null || x.EndedAt > t))
            .SingleOrDefaultAsync(ct);
        var zh = http.Lang() == Language.ZhCn;
        if (b is not null && b.Role == BindingRole.Official)
        {
            var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == b.ShopId, ct);
            if (policies.Get(shop.PolicyId).Settlement is { OfficialSharesPaymentAccount: true })
            {
                // A merchant learns only about its own shop's income.
                if (p.Kind == PrincipalKind.Merchant && !p.ActsForShop(shop.Id))
                {
                    return http.NotFound("account");
                }
                return Result.Ok(new AttributionView(accountId!, t, new Recipient("shop", shop.Id, shop.PaymentAccount, null),
                    new AsOfBinding(b.Id, b.ShopId, Wire.Name(b.Role), b.ActivatedAt!.Value, b.EndedAt), RuleCatalog.OfficialSettlement.Id,
                    zh ? "该账号当时是店铺官方账号，与店铺共享资质和收款账户，带货收入结算至店铺收款账户。"
                       : "At that instant the account was the shop's official account, sharing its qualification and payment account: income settles to the shop.")).ToHttp();
            }
        }
        return Result.Ok(new AttributionView(accountId!, t, new Recipient("account", null, null, accountId), null, null,
            zh ? "该账号当时不是共享收款账户的店铺官方账号，收入结算至账号本人。"
               : "At that instant the account was not an official account sharing a shop's payment account: income settles to the account itself.")).ToHttp();
    }
}
