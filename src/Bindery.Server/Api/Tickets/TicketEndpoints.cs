using Bindery.Domain;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Tickets;

/// <summary>X-3 / TS-E7 / Z-1: support tickets about invitations that wait or were refused.</summary>
public static class TicketEndpoints
{
    public static void MapTicketEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Support tickets");

        g.MapPost("/shops/{shopId}/tickets", async (string shopId, TicketInput body, HttpContext http, CancellationToken ct) =>
            {
                var (command, errors) = OpenTicket.From(shopId, body);
                return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
            })
            .Requires(Callers.Merchant, Permission.BindingsView).WithName("OpenTicket")
            .WithSummary("The merchant opens a ticket about a pending invitation (bindingId) or a refused one (accountId or handle, and role), with a message; it shows what blocks it (X-3, TS-E7).")
            .Produces<TicketView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/shops/{shopId}/tickets", async (string shopId, string? state, HttpContext http, CancellationToken ct) => (await TicketQueries.ListForShop(shopId, state, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("ListShopTickets")
            .WithSummary("The shop's tickets, newest first, with whose move it is and by when; state=open or a comma list filters (Z-1).")
            .Produces<TicketSummaryView[]>().ProducesProblem(400).ProducesProblem(404);

        g.MapGet("/tickets/{id}", async (string id, HttpContext http, CancellationToken ct) => (await TicketQueries.Get(id, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("GetTicket")
            .WithSummary("A ticket with its blocking reasons computed now, messages, corrections, and who must act by when (X-3, Z-1).")
            .Produces<TicketView>().ProducesProblem(404);

        g.MapPost("/tickets/{id}/messages", (string id, TicketMessageInput body, HttpContext http, CancellationToken ct) =>
                TicketRows.CheckText(body.Body, SupportTickets.MaxMessage) is { } bad
                    ? Task.FromResult(http.Invalid("body", bad))
                    : http.Write(new ReplyToTicket(id, body.Body!.Trim()), ct))
            .Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("ReplyToTicket")
            .WithSummary("The merchant or support adds a message; the move passes to the other side (X-3, Z-1).")
            .Produces<TicketView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/tickets/{id}/corrections", async (string id, CorrectionInput body, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            {
                var (command, errors) = CorrectAccount.From(id, body, clock.GetUtcNow());
                return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
            })
            .Requires(Callers.Support).WithName("CorrectTicketAccount")
            .WithSummary("Support corrects the account's registration country or birth date where the policy allows: never the status, never an abnormal or US-registered account (TS-E7).")
            .Produces<TicketView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/tickets/{id}/close", (string id, CloseTicketInput body, HttpContext http, CancellationToken ct) =>
                TicketRows.CheckText(body.Reason, SupportTickets.MaxCloseReason) is { } bad
                    ? Task.FromResult(http.Invalid("reason", bad))
                    : http.Write(new CloseTicket(id, body.Reason!.Trim()), ct))
            .Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("CloseTicket")
            .WithSummary("The merchant or support closes the ticket with a reason; who and why are kept (X-3).")
            .Produces<TicketView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/support/tickets", async (string? waitingOn, HttpContext http, CancellationToken ct) => (await TicketQueries.Queue(waitingOn, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Support).WithName("SupportQueue")
            .WithSummary("Support staff's queue: open tickets, soonest due first, overdue ones flagged; waitingOn=staff|shop filters (X-3, Z-1).")
            .Produces<SupportQueueView>().ProducesProblem(400).ProducesProblem(403);
    }
}
