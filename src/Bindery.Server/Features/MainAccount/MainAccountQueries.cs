using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Shops;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

public static class MainAccountQueries
{
    public static async Task<Result> GetChange(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var change = await MainAccountChanges.Visible(q.Db, q.Viewer, id, track: false, ct);
        if (change is null)
        {
            return Result.NotFound("main-account change");
        }
        var shop = await q.Db.Shops.AsNoTracking().SingleAsync(s => s.Id == change.ShopId, ct);
        if (q.Policies.Get(shop.PolicyId).MainAccount is not { } policy)
        {
            return MainAccountChanges.NotOffered(shop);
        }
        var now = q.Now;
        return Result.Ok(MainAccountChangeView.From(change, policy, now, await MainAccountChanges.State(q.Db, shop, policy, now, ct)));
    }

    public static async Task<Result> ListChanges(string shopId, ReadContext q, CancellationToken ct)
    {
        var (shop, policy, refusal) = await ShopOffering(shopId, q, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var now = q.Now;
        var rows = await q.Db.MainAccountChanges.AsNoTracking().Where(c => c.ShopId == shopId).ToListAsync(ct);
        var state = await MainAccountChanges.State(q.Db, shop, policy, now, ct);
        return Result.Ok(rows.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal)
            .Select(c => MainAccountChangeView.From(c, policy, now, state)).ToArray());
    }

    /// <summary>The shop's main account and its limits (also the console's main-account page).</summary>
    public static async Task<Result> GetMainAccount(string shopId, ReadContext q, CancellationToken ct)
    {
        var (shop, policy, refusal) = await ShopOffering(shopId, q, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var now = q.Now;
        var lang = q.Lang;
        var rows = await q.Db.MainAccountChanges.AsNoTracking().Where(c => c.ShopId == shopId).ToListAsync(ct);
        var completed = rows.Where(c => c.State == MainAccountChangeState.Completed && c.EndedAt is not null).OrderBy(c => c.EndedAt).ToArray();
        var open = rows.FirstOrDefault(c => c.State == MainAccountChangeState.AwaitingCode && now < c.WindowEndsAt);
        var state = await MainAccountChanges.State(q.Db, shop, policy, now, ct);
        var heldBack = MainAccountRules.TimeRules(state, policy, now);
        var lockedUntil = MainAccountRules.LockedUntil(state, policy, now);
        var limits = new MainAccountLimits(
            MainAccountRules.ChangesInPeriod(state.CompletedChanges, policy, now), policy.MaxChanges, IsoDuration.Format(policy.ChangePeriod),
            IsoDuration.Format(policy.RebindWaitingPeriod), completed.LastOrDefault()?.EndedAt, lockedUntil,
            heldBack.Count == 0 ? null : heldBack.Max(r => r.PassesAt), heldBack.Select(r => ReasonView.From(r, lang)).ToArray());
        var account = shop.MainAccountId is null ? null : await q.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == shop.MainAccountId, ct);
        return Result.Ok(new MainAccountView(
            shop.Id,
            shop.MainAccountId,
            account is null ? null : new MainAccountHolder(account.Id, account.Handle, Wire.Name(account.Status), account.RealNameVerified, AccountView.MaskPhone(account.Phone)),
            completed.LastOrDefault()?.EndedAt ?? shop.CreatedAt,
            open is null ? null : MainAccountChangeView.From(open, policy, now, state),
            completed.Select(c => new MainAccountHistoryItem(c.Id, c.FromAccountId, c.ToAccountId, c.StartedAt, c.StartedBy, c.EndedAt!.Value)).ToArray(),
            limits,
            now));
    }

    /// <summary>The visible shop and its main-account policy (DY-M1), after settling; else why not (not found, not offered).</summary>
    private static async Task<(ShopRow Shop, MainAccountPolicy Policy, Result? Refusal)> ShopOffering(string shopId, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var shop = await ShopQueries.Visible(q, shopId, ct);
        if (shop is null)
        {
            return (null!, null!, Result.NotFound("shop"));
        }
        return q.Policies.Get(shop.PolicyId).MainAccount is { } policy ? (shop, policy, null) : (shop, null!, MainAccountChanges.NotOffered(shop));
    }
}
