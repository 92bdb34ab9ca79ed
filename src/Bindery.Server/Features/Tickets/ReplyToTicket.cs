using Bindery.Domain;
using Bindery.Persistence;

namespace Bindery.Server.Features.Tickets;

public sealed record TicketMessageInput(string? Body);

/// <summary>
/// the merchant or support adds a message. A support message hands the move to the merchant, a merchant message
/// to support; the due instant restarts from the policy's targets (Z-1).
/// </summary>
public sealed record ReplyToTicket(string Id, string Body) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var ticket = await TicketRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (ticket is null || !TicketAccess.CanReply(principal, ticket))
        {
            return Result.NotFound("ticket");
        }
        var open = SupportTickets.CheckOpen(ticket.State);
        if (!open.IsAllowed)
        {
            return ctx.Denied(open);
        }
        var support = await TicketRows.SupportOf(ctx.Db, ctx.Policies, ticket.ShopId, ct);
        var before = TicketRows.Snapshot(ticket);
        var role = TicketAccess.RoleOf(principal);
        ticket.State = SupportTickets.AfterReply(bySupport: role == "support");
        ticket.UpdatedAt = ctx.Now;
        // A policy that stopped offering tickets keeps the last due instant; the ticket can still be answered and closed.
        ticket.DueAt = support is null ? ticket.DueAt : SupportTickets.DueAt(ticket.State, ctx.Now, support);
        ctx.Db.TicketMessages.Add(new TicketMessageRow { TicketId = ticket.Id, At = ctx.Now, Author = ctx.Actor.Name, AuthorRole = role, Body = Body });
        ctx.Record("support_ticket", ticket.Id, "support_ticket.replied", ticket.ShopId, null, before, TicketRows.Snapshot(ticket));
        ctx.Emit(EventTypes.SupportTicketReplied, ticket.Id, ticket.ShopId, null, TicketRows.EventData(ticket, new { author = ctx.Actor.Name, authorRole = role }));
        await ctx.Db.SaveChangesAsync(ct);
        return Result.Ok(await TicketRows.View(ctx.Db, ctx.Policies, ticket, ctx.Now, ctx.Lang, principal, ct));
    }
}
