using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Inbox;

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
        await AddLifecycle(db, shopId, accountId, now, items, ct);
        if (shopId is not null)
        {
            // DY-A4: an open unbind application waits on staff until its due date (then it is flagged overdue).
            var applications = await db.UnbindApplications.AsNoTracking()
                .Where(a => a.ShopId == shopId && (a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview))
                .Select(a => new { a.Id, a.BindingId, a.AccountId, a.DueAt }).ToListAsync(ct);
            items.AddRange(applications.Select(a => new InboxItem("unbind_application", a.Id, a.BindingId, shopId, a.AccountId, null,
                new WaitingOn("staff", "review", a.DueAt, "flagged_overdue"), null)));
            // DY-M2: a main-account change waits for the code sent to the new account until its window ends.
            var changes = await db.MainAccountChanges.AsNoTracking()
                .Where(c => c.ShopId == shopId && c.State == MainAccountChangeState.AwaitingCode && c.WindowEndsAt > now)
                .Select(c => new { c.Id, c.ToAccountId, c.WindowEndsAt }).ToListAsync(ct);
            items.AddRange(changes.Select(c => new InboxItem("main_account_change", c.Id, null, shopId, c.ToAccountId, null,
                new WaitingOn("account", c.ToAccountId, c.WindowEndsAt, "expire"), null)));
            // X-3 / Z-1: an open support ticket waits on support or on the shop until its due instant (then it is flagged overdue).
            var tickets = await db.SupportTickets.AsNoTracking()
                .Where(t => t.ShopId == shopId && t.State != TicketState.Closed && t.DueAt != null).ToListAsync(ct);
            items.AddRange(tickets.Select(t => new InboxItem("support_ticket", t.Id, t.BindingId, shopId, t.AccountId, Wire.Name(t.Role),
                TicketRows.Waiting(t)!, null)));
        }
        return items.OrderBy(i => i.WaitingOn.DueAt).ToArray();
    }

    /// <summary>DY-L1 / DY-L2: a closure notice running, or a deleted account whose binding is about to end.</summary>
    private static async Task AddLifecycle(BinderyDb db, string? shopId, string? accountId, DateTimeOffset now, List<InboxItem> items, CancellationToken ct)
    {
        var live = await db.Bindings.AsNoTracking()
            .Where(b => (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested)
                && (shopId == null || b.ShopId == shopId) && (accountId == null || b.AccountId == accountId))
            .Select(b => new { b.Id, b.ShopId, b.AccountId, b.Role })
            .ToListAsync(ct);
        var shopIds = live.Select(b => b.ShopId).Append(shopId).Where(id => id is not null).Distinct().ToArray();
        var closing = await db.Shops.AsNoTracking().Where(s => shopIds.Contains(s.Id) && s.Status == ShopStatus.Closing && s.ClosesAt > now)
            .ToDictionaryAsync(s => s.Id, s => s.ClosesAt!.Value, ct);
        foreach (var (id, closesAt) in closing)
        {
            var binding = live.FirstOrDefault(b => b.ShopId == id);
            items.Add(new InboxItem("closure_notice", id, accountId is null ? null : binding?.Id, id, accountId, binding is null || accountId is null ? null : Wire.Name(binding.Role),
                new WaitingOn("platform", "closure", closesAt, "shop_closes"), null));
        }
        var accountIds = live.Select(b => b.AccountId).Distinct().ToArray();
        var deleting = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id) && a.BindingsEndAt > now)
            .ToDictionaryAsync(a => a.Id, a => a.BindingsEndAt!.Value, ct);
        foreach (var b in live.Where(b => deleting.ContainsKey(b.AccountId)))
        {
            items.Add(new InboxItem("account_deletion", b.AccountId, b.Id, b.ShopId, b.AccountId, Wire.Name(b.Role),
                new WaitingOn("platform", "deletion", deleting[b.AccountId], "binding_ends"), null));
        }
    }
}
