using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Core;

/// <summary>Loads rows the way every use case needs them, hiding what the caller may not see (404, not 403).</summary>
public static class Lookup
{
    public static Task<AccountRow?> Account(BinderyDb db, string? accountId, string? handle, CancellationToken ct)
    {
        if (accountId is not null)
        {
            return HotQueries.AccountById(db, accountId, ct);
        }
        var h = NormalizeHandle(handle ?? "");
        return HotQueries.AccountByHandle(db, h, ct);
    }

    /// <summary>
    /// Whether the shop exists at all: a list under <c>/shops/{shopId}/…</c> answers 404 for an unknown shop, never an
    /// empty list (an empty list says "the shop exists and has none").
    /// </summary>
    public static Task<bool> ShopExists(BinderyDb db, string shopId, CancellationToken ct) =>
        db.Shops.AsNoTracking().AnyAsync(s => s.Id == shopId, ct);

    /// <summary>Whether the account exists at all (see <see cref="ShopExists"/>).</summary>
    public static Task<bool> AccountExists(BinderyDb db, string accountId, CancellationToken ct) =>
        db.Accounts.AsNoTracking().AnyAsync(a => a.Id == accountId, ct);

    /// <summary>A binding visible to the principal: its shop's merchant, its account's creator, or the admin.</summary>
    public static async Task<BindingRow?> Binding(BinderyDb db, Principal p, string id, bool track, CancellationToken ct)
    {
        var q = track ? db.Bindings : db.Bindings.AsNoTracking();
        var b = await q.SingleOrDefaultAsync(x => x.Id == id, ct);
        return b is not null && (p.ActsForShop(b.ShopId) || p.ActsForAccount(b.AccountId)) ? b : null;
    }

    public static async Task<UnlinkRequestRow?> Unlink(BinderyDb db, Principal p, string id, bool track, CancellationToken ct)
    {
        var q = track ? db.UnlinkRequests : db.UnlinkRequests.AsNoTracking();
        var u = await q.SingleOrDefaultAsync(x => x.Id == id, ct);
        return u is not null && (p.ActsForShop(u.ShopId) || p.ActsForAccount(u.AccountId)) ? u : null;
    }

    /// <summary>A handle as stored: trimmed, without its leading @, in lower case.</summary>
    public static string NormalizeHandle(string handle) => handle.Trim().TrimStart('@').ToLowerInvariant();
}
