using Bindery.Persistence;
using Bindery.Server.Features.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Tickets;

/// <summary>X-3, Z-1: support staff's queue (support agents and the admin): open tickets, soonest due first, overdue ones marked.</summary>
public sealed class QueueModel(BinderyDb db) : ConsolePage
{
    public SupportQueueView Queue { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> Handles { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> ShopNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync()
    {
        if (Me is null || !TicketAccess.CanActAsSupport(Me))
        {
            return NotVisible();
        }
        if (Value<SupportQueueView>(await TicketQueries.Queue(null, Reader, Ct)) is not { } queue)
        {
            return Page();
        }
        Queue = queue;
        Handles = await TicketPages.Handles(db, Queue.Items.Select(t => t.AccountId), Ct);
        var shops = Queue.Items.Select(t => t.ShopId).Distinct().ToArray();
        ShopNames = await db.Shops.AsNoTracking().Where(s => shops.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, Ct);
        return Page();
    }
}
