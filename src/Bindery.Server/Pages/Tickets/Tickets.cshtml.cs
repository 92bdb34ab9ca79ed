using Bindery.Persistence;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Tickets;

/// <summary>X-3, Z-1: the shop's support tickets, newest first, with their state and who must act by when (the API's list).</summary>
public sealed class TicketsModel(BinderyDb db) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;
    public IReadOnlyList<TicketSummaryView> Tickets { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Handles { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string shopId)
    {
        var shop = await ShopFor(db, shopId, Permission.BindingsView);
        if (shop is null)
        {
            return NotVisible();
        }
        Shop = shop;
        Tickets = Value<TicketSummaryView[]>(await TicketQueries.ListForShop(shopId, null, Reader, Ct)) ?? [];
        Handles = await TicketPages.Handles(db, Tickets.Select(t => t.AccountId), Ct);
        return Page();
    }
}

/// <summary>What the ticket pages share.</summary>
public static class TicketPages
{
    public static async Task<IReadOnlyDictionary<string, string>> Handles(BinderyDb db, IEnumerable<string> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToArray();
        return await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Handle, ct);
    }
}
