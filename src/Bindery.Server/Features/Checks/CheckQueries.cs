using System.Globalization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Checks;

/// <summary>
/// A dry run. For invite: shopId, accountId (or handle) and role. For accept, decline, cancel and
/// request_unlink: bindingId. For approve_unlink and reject_unlink: unlinkRequestId.
/// </summary>
public sealed record CheckInput(string? Action, string? ShopId, string? AccountId, string? Handle, string? Role, string? BindingId, string? UnlinkRequestId);

public static class CheckQueries
{
    /// <summary>The dry run itself; the console's live pre-check runs it too.</summary>
    public static async Task<Result> Check(CheckInput body, ReadContext q, CancellationToken ct)
    {
        var lang = q.Lang;
        var errors = new FieldErrors();
        if (body.Action == "sell")
        {
            return await Sell(body, q, ct);
        }
        // "swap" (Z-4) is an invitation to the official role that replaces the current official binding.
        var isSwap = body.Action == "swap";
        var action = isSwap ? BindingAction.Invite : errors.Enum<BindingAction>("action", body.Action, required: true);
        if (errors.Any)
        {
            return errors.ToResult();
        }
        await q.Settle(ct);
        // One connection for the four or five reads below, instead of a pooled open and close around each.
        await q.Db.Database.OpenConnectionAsync(ct);
        var now = q.Now;
        var principal = q.Viewer;
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
                    return errors.ToResult();
                }
                shop = await HotQueries.ShopById(q.Db, body.ShopId!, ct);
                account = await Lookup.Account(q.Db, body.AccountId, body.Handle, ct);
                // Only the shop (or the admin) invites, so only it may ask; nobody else learns whether the shop exists.
                if (shop is null || !principal.ActsForShop(shop.Id))
                {
                    return Result.NotFound("shop");
                }
                if (account is null)
                {
                    return Result.NotFound("account");
                }
                break;
            case BindingAction.ApproveUnlink:
            case BindingAction.RejectUnlink:
                if (errors.Id("unlinkRequestId", body.UnlinkRequestId, required: true) is null)
                {
                    return errors.ToResult();
                }
                unlink = await Lookup.Unlink(q.Db, principal, body.UnlinkRequestId!, track: false, ct);
                if (unlink is null)
                {
                    return Result.NotFound("unlink request");
                }
                (binding, shop, account) = await Parties(q.Db, unlink.BindingId, ct);
                role = binding.Role;
                break;
            default:
                if (errors.Id("bindingId", body.BindingId, required: true) is null)
                {
                    return errors.ToResult();
                }
                var visible = await Lookup.Binding(q.Db, principal, body.BindingId!, track: false, ct);
                if (visible is null)
                {
                    return Result.NotFound("binding");
                }
                (binding, shop, account) = await Parties(q.Db, visible.Id, ct);
                role = binding.Role;
                break;
        }
        // The same party rule as the command: a check answers "would it pass for me", never for someone else's move.
        var shopMoves = action.Value is BindingAction.Invite or BindingAction.Cancel or BindingAction.ApproveUnlink or BindingAction.RejectUnlink
            or BindingAction.ApplyUnbind;
        if (!(shopMoves ? principal.ActsForShop(shop.Id) : principal.ActsForAccount(account.Id)))
        {
            return shopMoves ? Result.Forbidden("This is the shop's move.", "此操作应由店铺进行。")
                : Result.Forbidden("This is the account's move.", "此操作应由账号进行。");
        }
        var policy = q.Policies.Get(shop.PolicyId);
        BindingRow? replacing = null;
        if (isSwap && (replacing = await RuleInputs.CurrentOfficial(q.Db, shop.Id, track: false, ct)) is null)
        {
            return Result.Refused("no_official_account", "The shop has no official account to replace; invite one instead.", "店铺没有可替换的官方账号，请直接邀请一个。");
        }
        var input = await RuleInputs.For(q.Db, new RuleQuery(shop, account, role, policy, now)
        {
            CallerCountry = q.CallerCountry, Binding = binding, Unlink = unlink, Replacing = replacing,
        }, ct);
        var decision = Rules.Decide(action.Value, input, policy, now);
        BinderyMetrics.Decision(isSwap ? "swap" : Wire.Name(action.Value), "check", decision);
        return Result.Ok(new CheckView(decision.IsAllowed, isSwap ? "swap" : Wire.Name(action.Value),
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
    private static async Task<Result> Sell(CheckInput body, ReadContext q, CancellationToken ct)
    {
        var lang = q.Lang;
        var errors = new FieldErrors();
        errors.Id("shopId", body.ShopId, required: true);
        if ((body.AccountId is null) == (body.Handle is null))
        {
            errors.Add("accountId", "give exactly one of accountId or handle");
        }
        if (errors.Any)
        {
            return errors.ToResult();
        }
        await q.Settle(ct);
        var principal = q.Viewer;
        var shop = await HotQueries.ShopById(q.Db, body.ShopId!, ct);
        var account = await Lookup.Account(q.Db, body.AccountId, body.Handle, ct);
        if (shop is null || account is null || !(principal.ActsForShop(shop.Id) || principal.ActsForAccount(account.Id)))
        {
            return Result.NotFound(shop is null ? "shop" : "account");
        }
        var bound = await q.Db.Bindings.AsNoTracking()
            .Where(b => b.ShopId == shop.Id && b.AccountId == account.Id && (b.State == BindingState.Active || b.State == BindingState.UnlinkRequested))
            .Select(b => new { b.Id, b.Role }).SingleOrDefaultAsync(ct);
        var policy = q.Policies.Get(shop.PolicyId);
        var terms = Selling.Decide(shop.ToDomain(), account.ToDomain(), bound?.Role, policy);
        var sale = new SaleView(terms.CommissionRate, bound is null ? null : Wire.Name(bound.Role), bound?.Id,
            terms.Rule,
            Messages.Explain(terms.Explanation, null, lang));
        return Result.Ok(new CheckView(terms.Decision.IsAllowed, "sell", ReasonView.For(terms.Decision, lang, principal), terms.Decision.AllPassAt,
            q.Now, sale));
    }

    private static async Task<(BindingRow, ShopRow, AccountRow)> Parties(BinderyDb db, string bindingId, CancellationToken ct)
    {
        var b = await db.Bindings.AsNoTracking().SingleAsync(x => x.Id == bindingId, ct);
        var s = await db.Shops.AsNoTracking().SingleAsync(x => x.Id == b.ShopId, ct);
        var a = await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == b.AccountId, ct);
        return (b, s, a);
    }
}
