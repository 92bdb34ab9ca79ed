using Bindery.Domain;

namespace Bindery.Server.Features.Tickets;

public sealed record CloseTicketInput(string? Reason);

/// <summary>X-3: the merchant or support closes the ticket; who closed it, when and why stay on it and in history.</summary>
public sealed record CloseTicket(string Id, string Reason) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var ticket = await TicketRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (ticket is null || !TicketAccess.CanClose(principal, ticket))
        {
            return Result.NotFound("ticket");
        }
        var open = SupportTickets.CheckOpen(ticket.State);
        if (!open.IsAllowed)
        {
            return ctx.Denied(open);
        }
        var before = TicketRows.Snapshot(ticket);
        ticket.State = TicketState.Closed;
        ticket.UpdatedAt = ctx.Now;
        ticket.DueAt = null;
        ticket.ClosedAt = ctx.Now;
        ticket.ClosedBy = ctx.Actor.Name;
        ticket.CloseReason = Reason;
        ctx.Record("support_ticket", ticket.Id, "support_ticket.closed", ticket.ShopId, null, before, TicketRows.Snapshot(ticket));
        ctx.Emit(EventTypes.SupportTicketClosed, ticket.Id, ticket.ShopId, null,
            TicketRows.EventData(ticket, new { closedBy = ticket.ClosedBy, closedByRole = TicketAccess.RoleOf(principal), reason = Reason }));
        await ctx.Db.SaveChangesAsync(ct);
        return Result.Ok(await TicketRows.View(ctx.Db, ctx.Policies, ticket, ctx.Now, ctx.Lang, principal, ct));
    }
}
