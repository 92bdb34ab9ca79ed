using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Reads;

/// <summary>Z-1: everything pending that concerns a shop or an account, with who must act and by when, soonest first.</summary>
public static class InboxQuery
{
    public static async Task<IReadOnlyList<InboxItem>> Load(BinderyDb db, PolicyCatalog policies, string? shopId, string? accountId,
        DateTimeOffset now, Language lang, CancellationToken ct)
    {
        var invitations = await db.Bindings.AsNoTracking()
            .Where(b => b.State == BindingState.Invited && (shopId == null || b.ShopId == shopId) && (accountId == null || b.AccountId == accountId))
            .ToListAsync(ct);
        var unlinks = await db.UnlinkRequests.AsNoTracking()
            .Where(u => u.State == UnlinkState.Pending && (shopId == null || u.ShopId == shopId) && (accountId == null || u.AccountId == accountId))
            .ToListAsync(ct);
        var shopPolicies = await db.Shops.AsNoTracking()
            .Where(s => invitations.Select(b => b.ShopId).Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.PolicyId, ct);
        var roles = await db.Bindings.AsNoTracking()
            .Where(b => unlinks.Select(u => u.BindingId).Contains(b.Id))
            .ToDictionaryAsync(b => b.Id, b => b.Role, ct);

        var items = new List<InboxItem>(invitations.Count + unlinks.Count);
        foreach (var b in invitations)
        {
            var policy = policies.Get(shopPolicies[b.ShopId]);
            var because = await PendingExplanation.For(db, b, policy, now, lang, ct);
            items.Add(new InboxItem("invitation", b.Id, b.Id, b.ShopId, b.AccountId, Wire.Name(b.Role),
                new WaitingOn("account", b.AccountId, b.ExpiresAt, "expire"), because));
        }
        foreach (var u in unlinks)
        {
            items.Add(new InboxItem("unlink_request", u.Id, u.BindingId, u.ShopId, u.AccountId, Wire.Name(roles[u.BindingId]),
                new WaitingOn("shop", u.ShopId, u.AutoApproveAt, "auto_approve"), null));
        }
        return items.OrderBy(i => i.WaitingOn.DueAt).ToArray();
    }
}
