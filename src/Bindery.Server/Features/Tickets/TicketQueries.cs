using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Tickets;

/// <summary>Reads of support tickets (X-3, Z-1). The blocking reasons are computed at read time from the current state.</summary>
public static class TicketQueries
{
    public static async Task<Result> Get(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        var ticket = await TicketRows.Visible(q.Db, principal, id, track: false, ct);
        if (ticket is null)
        {
            return Result.NotFound("ticket");
        }
        return Result.Ok(await TicketRows.View(q.Db, q.Policies, ticket, q.Now, q.Lang, principal, ct));
    }

    /// <summary>The shop's tickets, newest first; <c>state=open</c> (every state but closed) or a comma list filters.</summary>
    public static async Task<Result> ListForShop(string shopId, string? state, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        var shop = TicketAccess.CanActForShop(principal, shopId) || TicketAccess.CanActAsSupport(principal)
            ? await q.Db.Shops.AsNoTracking().SingleOrDefaultAsync(s => s.Id == shopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var (states, problem) = States(q, state);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await q.Db.SupportTickets.AsNoTracking()
            .Where(t => t.ShopId == shopId && (states.Count == 0 || states.Contains(t.State)))
            .OrderByDescending(t => t.OpenedAt).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var now = q.Now;
        return Result.Ok(rows.Select(t => TicketSummaryView.From(t, now)).ToArray());
    }

    /// <summary>
    /// Support staff's queue: open tickets, soonest due first, each flagged when overdue (Z-1); <c>waitingOn=staff</c>
    /// keeps those whose move is support's, <c>waitingOn=shop</c> those waiting on the merchant.
    /// </summary>
    public static async Task<Result> Queue(string? waitingOn, ReadContext q, CancellationToken ct)
    {
        if (!TicketAccess.CanActAsSupport(q.Viewer))
        {
            return Result.Forbidden("The support queue is for support staff.", "客服队列仅供客服人员使用。");
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
            return Result.Invalid("waitingOn", "must be staff or shop");
        }
        await q.Settle(ct);
        var now = q.Now;
        var rows = await q.Db.SupportTickets.AsNoTracking()
            .Where(t => states.Contains(t.State))
            .OrderBy(t => t.DueAt).ThenBy(t => t.OpenedAt).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var items = rows.Select(t => TicketSummaryView.From(t, now)).ToArray();
        return Result.Ok(new SupportQueueView(now, items.Length, items.Count(i => i.Overdue), items));
    }

    private static (List<TicketState> States, Result? Problem) States(ReadContext q, string? state)
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
                return (states, Result.Invalid("state", $"must be 'open' or one of: {string.Join(", ", Wire.All<TicketState>())} (comma-separated)"));
            }
        }
        return (states, null);
    }
}
