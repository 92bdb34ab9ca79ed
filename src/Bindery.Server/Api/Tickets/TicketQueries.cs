using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Api.Shops;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Tickets;

/// <summary>Reads of support tickets (X-3, Z-1). The blocking reasons are computed at read time from the current state.</summary>
public static class TicketQueries
{
    public static async Task<IResult> Get(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        var principal = http.Principal();
        var ticket = await TicketRows.Visible(db, principal, id, track: false, ct);
        if (ticket is null)
        {
            return http.NotFound("ticket");
        }
        return Outcome.Ok(await TicketRows.View(db, policies, ticket, clock.GetUtcNow(), http.Lang(), principal, ct));
    }

    /// <summary>The shop's tickets, newest first; <c>state=open</c> (every state but closed) or a comma list filters.</summary>
    public static async Task<IResult> ListForShop(string shopId, string? state, HttpContext http, BinderyDb db, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        var principal = http.Principal();
        var shop = TicketAccess.CanActForShop(principal, shopId) || TicketAccess.CanActAsSupport(principal)
            ? await db.Shops.AsNoTracking().SingleOrDefaultAsync(s => s.Id == shopId, ct) : null;
        if (shop is null)
        {
            return http.NotFound("shop");
        }
        var (states, problem) = States(http, state);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await db.SupportTickets.AsNoTracking()
            .Where(t => t.ShopId == shopId && (states.Count == 0 || states.Contains(t.State)))
            .OrderByDescending(t => t.OpenedAt).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return Outcome.Ok(rows.Select(t => TicketSummaryView.From(t, now)).ToArray());
    }

    /// <summary>
    /// Support staff's queue: open tickets, soonest due first, each flagged when overdue (Z-1); <c>waitingOn=staff</c>
    /// keeps those whose move is support's, <c>waitingOn=shop</c> those waiting on the merchant.
    /// </summary>
    public static async Task<IResult> Queue(string? waitingOn, HttpContext http, BinderyDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!TicketAccess.CanActAsSupport(http.Principal()))
        {
            return Outcome.Problem(Problems.Forbidden(http.Lang(), "The support queue is for support staff.", "客服队列仅供客服人员使用。"));
        }
        TicketState[] states = waitingOn switch
        {
            null => [TicketState.Open, TicketState.WaitingForSupport, TicketState.WaitingForMerchant],
            "staff" => [TicketState.Open, TicketState.WaitingForSupport],
            "shop" => [TicketState.WaitingForMerchant],
            _ => [],
        };
        if (states.Length == 0)
        {
            return http.Invalid("waitingOn", "must be staff or shop");
        }
        await http.Settle(ct);
        var now = clock.GetUtcNow();
        var rows = await db.SupportTickets.AsNoTracking()
            .Where(t => states.Contains(t.State))
            .OrderBy(t => t.DueAt).ThenBy(t => t.OpenedAt).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var items = rows.Select(t => TicketSummaryView.From(t, now)).ToArray();
        return Outcome.Ok(new SupportQueueView(now, items.Length, items.Count(i => i.Overdue), items));
    }

    private static (List<TicketState> States, IResult? Problem) States(HttpContext http, string? state)
    {
        var states = new List<TicketState>();
        foreach (var s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (s == "open")
            {
                states.AddRange([TicketState.Open, TicketState.WaitingForSupport, TicketState.WaitingForMerchant]);
            }
            else if (Wire.TryParse<TicketState>(s, out var parsed))
            {
                states.Add(parsed);
            }
            else
            {
                return (states, http.Invalid("state", $"must be 'open' or one of: {string.Join(", ", Wire.All<TicketState>())} (comma-separated)"));
            }
        }
        return (states, null);
    }
}
