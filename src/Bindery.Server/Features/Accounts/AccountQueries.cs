using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Inbox;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Accounts;

public static class AccountQueries
{
    /// <summary>Z-1: the account's pending items (also the creator's console page).</summary>
    public static async Task<Result> GetInbox(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        if (await Visible(q, id, ct) is null)
        {
            return Result.NotFound("account");
        }
        var now = q.Now;
        return Result.Ok(new InboxView("account:" + id, now, await InboxQuery.Load(q.Db, q.Policies, null, id, now, q.Lang, ct)));
    }

    /// <summary>Every binding and invitation of the account, newest first (also the creator's console page).</summary>
    public static async Task<Result> ListBindings(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        if (await Visible(q, id, ct) is null)
        {
            return Result.NotFound("account");
        }
        var rows = await q.Db.Bindings.AsNoTracking().Where(b => b.AccountId == id).OrderByDescending(b => b.InvitedAt).ToListAsync(ct);
        var shops = await q.Db.Shops.AsNoTracking().Where(s => rows.Select(r => r.ShopId).Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.PolicyId, ct);
        var pending = await q.Db.UnlinkRequests.AsNoTracking().Where(u => u.AccountId == id && u.State == UnlinkState.Pending)
            .ToDictionaryAsync(u => u.BindingId, ct);
        return Result.Ok(rows.Select(b => BindingView.From(b, q.Policies.Get(shops[b.ShopId]), pending.GetValueOrDefault(b.Id))).ToArray());
    }

    /// <summary>The account, if the caller is the admin, its creator, or (for GET /accounts/{id}) a shop it is or was bound to or invited by.</summary>
    public static async Task<AccountRow?> Visible(ReadContext q, string id, CancellationToken ct) =>
        q.Viewer.ActsForAccount(id) ? await q.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) : null;

    public static async Task<AccountRow?> VisibleToShopToo(ReadContext q, string id, CancellationToken ct)
    {
        var p = q.Viewer;
        if (p.Kind == PrincipalKind.Merchant && await q.Db.Bindings.AnyAsync(b => b.AccountId == id && b.ShopId == p.ShopId, ct))
        {
            return await q.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        }
        return await Visible(q, id, ct);
    }
}
