using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
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
        // X-6 / DY-O1: the engine picks the binding in force at t (half-open [activatedAt, endedAt)) and decides who is paid.
        var history = await db.Bindings.AsNoTracking().Where(x => x.AccountId == accountId && x.ActivatedAt != null).ToListAsync(ct);
        var inForce = IncomeAttribution.InForce(history.Select(x => x.ToDomain()), t);
        var shop = inForce is { Role: BindingRole.Official } official
            ? await db.Shops.AsNoTracking().SingleAsync(s => s.Id == official.ShopId, ct) : null;
        var attribution = IncomeAttribution.Decide(inForce, shop is null ? null : policies.Get(shop.PolicyId));
        var explanation = Messages.Explain(attribution.Explanation, null, http.Lang());
        if (attribution is { Recipient: IncomeRecipient.Shop, Binding: { } b } && shop is not null)
        {
            // A merchant learns only about its own shop's income.
            if (p.Kind == PrincipalKind.Merchant && !p.ActsForShop(shop.Id))
            {
                return http.NotFound("account");
            }
            return Result.Ok(new AttributionView(accountId!, t, new Recipient("shop", shop.Id, shop.PaymentAccount, null),
                new AsOfBinding(b.Id, b.ShopId, Wire.Name(b.Role), b.ActivatedAt!.Value, b.EndedAt), attribution.Rule, explanation)).ToHttp();
        }
        return Result.Ok(new AttributionView(accountId!, t, new Recipient("account", null, null, accountId), null, null, explanation)).ToHttp();
    }
}
