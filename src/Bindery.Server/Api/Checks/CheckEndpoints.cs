using System.Globalization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Checks;

/// <summary>
/// A dry run. For invite: shopId, accountId (or handle) and role. For accept, decline, cancel and
/// request_unlink: bindingId. For approve_unlink and reject_unlink: unlinkRequestId.
/// </summary>
public sealed record CheckInput(string? Action, string? ShopId, string? AccountId, string? Handle, string? Role, string? BindingId, string? UnlinkRequestId);

public static class CheckEndpoints
{
    public static void MapCheckEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/checks", Check).WithTags("Checks").Requires(Callers.Merchant | Callers.Creator, Permission.BindingsView).WithName("Check")
            .WithSummary("Dry run: would this action be allowed now? Answers with every failing rule, its messages and when it passes (X-4).")
            .Produces<CheckView>().ProducesProblem(400).ProducesProblem(404);
    }

    /// <summary>The dry run itself; the console's live pre-check calls it too.</summary>
    internal static async Task<IResult> Check(CheckInput body, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        var lang = http.Lang();
        var errors = new FieldErrors();
        if (body.Action == "sell")
        {
            return await Sell(body, http, db, policies, clock, ct);
        }
        // "swap" (Z-4) is an invitation to the official role that replaces the current official binding.
        var isSwap = body.Action == "swap";
        var action = isSwap ? BindingAction.Invite : errors.Enum<BindingAction>("action", body.Action, required: true);
        if (errors.Any)
        {
            return errors.Problem(lang);
        }
        await http.Settle(ct);
        // One connection for the four or five reads below, instead of a pooled open and close around each.
        await db.Database.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var actor = http.Actor();
        var principal = actor.Principal;
        ShopRow? shop;
        AccountRow? account;
        BindingRow? binding = null;
        UnlinkRequestRow? unlink = null;
        BindingRole role;
        switch (action!.Value)
        {
            case BindingAction.Invite:
                role = isSwap ? BindingRole.Official : errors.Enum<BindingRole>("role", body.Role, required: true) ?? BindingRole.Official;
                errors.Id("shopId", body.ShopId, required: true);
                if ((body.AccountId is null) == (body.Handle is null))
                {
                    errors.Add("accountId", "give exactly one of accountId or handle");
                }
                if (errors.Any)
                {
                    return errors.Problem(lang);
                }
                shop = await Reads.HotQueries.ShopById(db, body.ShopId!, ct);
                account = await Lookup.Account(db, body.AccountId, body.Handle, ct);
                // Only the shop (or the admin) invites, so only it may ask; nobody else learns whether the shop exists.
                if (shop is null || !principal.ActsForShop(shop.Id))
                {
                    return http.NotFound("shop");
                }
                if (account is null)
                {
                    return http.NotFound("account");
                }
                break;
            case BindingAction.ApproveUnlink:
            case BindingAction.RejectUnlink:
                if (errors.Id("unlinkRequestId", body.UnlinkRequestId, required: true) is null)
                {
                    return errors.Problem(lang);
                }
                unlink = await Lookup.Unlink(db, principal, body.UnlinkRequestId!, track: false, ct);
                if (unlink is null)
                {
                    return http.NotFound("unlink request");
                }
                (binding, shop, account) = await Parties(db, unlink.BindingId, ct);
                role = binding.Role;
                break;
            default:
                if (errors.Id("bindingId", body.BindingId, required: true) is null)
                {
                    return errors.Problem(lang);
                }
                var visible = await Lookup.Binding(db, principal, body.BindingId!, track: false, ct);
                if (visible is null)
                {
                    return http.NotFound("binding");
                }
                (binding, shop, account) = await Parties(db, visible.Id, ct);
                role = binding.Role;
                break;
        }
        // The same party rule as the command: a check answers "would it pass for me", never for someone else's move.
        var shopMoves = action.Value is BindingAction.Invite or BindingAction.Cancel or BindingAction.ApproveUnlink or BindingAction.RejectUnlink
            or BindingAction.ApplyUnbind;
        if (!(shopMoves ? principal.ActsForShop(shop.Id) : principal.ActsForAccount(account.Id)))
        {
            return Outcome.Problem(shopMoves ? Problems.Forbidden(lang, "This is the shop's move.", "此操作应由店铺进行。")
                : Problems.Forbidden(lang, "This is the account's move.", "此操作应由账号进行。"));
        }
        var policy = policies.Get(shop.PolicyId);
        BindingRow? replacing = null;
        if (isSwap && (replacing = await RuleInputs.CurrentOfficial(db, shop.Id, track: false, ct)) is null)
        {
            return Outcome.Problem(Problems.Make(409, "no_official_account", lang, Problems.Say(lang,
                "The shop has no official account to replace; invite one instead.", "店铺没有可替换的官方账号，请直接邀请一个。")));
        }
        var input = await RuleInputs.For(db, new RuleQuery(shop, account, role, policy, now)
        {
            CallerCountry = actor.CallerCountry, Binding = binding, Unlink = unlink, Replacing = replacing,
        }, ct);
        var decision = Rules.Decide(action.Value, input, policy, now);
        BinderyMetrics.Decision(isSwap ? "swap" : Wire.Name(action.Value), "check", decision);
        return Outcome.Ok(new CheckView(decision.IsAllowed, isSwap ? "swap" : Wire.Name(action.Value),
            ReasonView.For(decision, lang, principal), decision.AllPassAt, now)
        {
            Effects = isSwap ? SwapEffects(policy, input.Usage, replacing!, lang) : null,
        });
    }

    /// <summary>Z-4: what accepting the swap will spend, as the policy counts it (TS-Q2: one official unbind).</summary>
    private static IReadOnlyList<EffectView> SwapEffects(Policy policy, ShopUsage usage, BindingRow replacing, Language lang)
    {
        var effects = new List<EffectView>
        {
            new("ends_binding", replacing.Id, null, null, null, Messages.Explain("swap_ends_binding",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["accountId"] = replacing.AccountId }, lang)),
        };
        if (policy.OfficialUnbindsPerLifetime is { } limit)
        {
            var left = Math.Max(limit - usage.OfficialUnbindsUsed - 1, 0);
            effects.Add(new("spends_quota", "official_unbinds", policy.Rule(RuleKeys.OfficialUnbinds), 1, left,
                Messages.Explain("swap_spends_official_unbind", new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["left"] = left.ToString(CultureInfo.InvariantCulture), ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
                }, lang)));
        }
        return effects;
    }

    /// <summary>
    /// DY-O4: may the account sell the shop's products now, and at what commission: zero for an account bound to
    /// the shop in a zero-commission role, otherwise the product's own commission plan.
    /// </summary>
    private static async Task<IResult> Sell(CheckInput body, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        var lang = http.Lang();
        var errors = new FieldErrors();
        errors.Id("shopId", body.ShopId, required: true);
        if ((body.AccountId is null) == (body.Handle is null))
        {
            errors.Add("accountId", "give exactly one of accountId or handle");
        }
        if (errors.Any)
        {
            return errors.Problem(lang);
        }
        await http.Settle(ct);
        var principal = http.Principal();
        var shop = await Reads.HotQueries.ShopById(db, body.ShopId!, ct);
        var account = await Lookup.Account(db, body.AccountId, body.Handle, ct);
        if (shop is null || account is null || !(principal.ActsForShop(shop.Id) || principal.ActsForAccount(account.Id)))
        {
            return http.NotFound(shop is null ? "shop" : "account");
        }
        var bound = await db.Bindings.AsNoTracking()
            .Where(b => b.ShopId == shop.Id && b.AccountId == account.Id && (b.State == BindingState.Active || b.State == BindingState.UnlinkRequested))
            .Select(b => new { b.Id, b.Role }).SingleOrDefaultAsync(ct);
        var policy = policies.Get(shop.PolicyId);
        var terms = Selling.Decide(shop.ToDomain(), account.ToDomain(), bound?.Role, policy);
        var sale = new SaleView(terms.CommissionRate, bound is null ? null : Wire.Name(bound.Role), bound?.Id,
            terms.Rule,
            Messages.Explain(terms.Explanation, null, lang));
        return Outcome.Ok(new CheckView(terms.Decision.IsAllowed, "sell", ReasonView.For(terms.Decision, lang, principal), terms.Decision.AllPassAt,
            clock.GetUtcNow(), sale));
    }

    private static async Task<(BindingRow, ShopRow, AccountRow)> Parties(BinderyDb db, string bindingId, CancellationToken ct)
    {
        var b = await db.Bindings.AsNoTracking().SingleAsync(x => x.Id == bindingId, ct);
        var s = await db.Shops.AsNoTracking().SingleAsync(x => x.Id == b.ShopId, ct);
        var a = await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == b.AccountId, ct);
        return (b, s, a);
    }
}
