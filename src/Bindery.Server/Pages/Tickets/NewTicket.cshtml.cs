using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Tickets;

/// <summary>
/// X-3: the merchant opens a ticket about a pending invitation (from the shop page, bindingId) or about a refused
/// one (from the invite pre-check, handle and role), with a first message; the API's own OpenTicket command decides.
/// </summary>
public sealed class NewTicketModel(BinderyDb db) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? BindingId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Handle { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty]
    public string? Message { get; set; }

    /// <summary>The account the ticket is about, in words ("@teen.gamer · Official account").</summary>
    public string About { get; private set; } = "";

    /// <summary>When the shop already has an open ticket about the account: where it is.</summary>
    public string? ExistingTicket { get; private set; }

    public async Task<IActionResult> OnGetAsync(string shopId) => await Load(shopId) ? Page() : NotVisible();

    public async Task<IActionResult> OnPostAsync(string shopId)
    {
        if (!await Load(shopId))
        {
            return NotVisible();
        }
        if (string.IsNullOrWhiteSpace(Message))
        {
            FieldErrors["message"] = T["ticket.message-required"];
            return Page();
        }
        if (Message.Length > SupportTickets.MaxMessage)
        {
            FieldErrors["message"] = T.F("ticket.too-long", SupportTickets.MaxMessage);
            return Page();
        }
        var input = BindingId is not null
            ? new TicketInput(BindingId, null, null, null, Message)
            : new TicketInput(null, null, Handle?.Trim().TrimStart('@'), Role, Message);
        var (command, _) = OpenTicket.From(shopId, input);
        if (command is null)
        {
            Problem = Explain(Result.Invalid("bindingId", T["ticket.not-about"]));
            return Page();
        }
        var outcome = await Run(command);
        if (outcome is CreationResult { Value: TicketView ticket })
        {
            return Done(T["ticket.opened"], $"/console/tickets/{ticket.Id}");
        }
        Problem = Explain(outcome);
        if (Problem is { Code: "ticket_already_open", Extensions: { } ext } && ext.TryGetValue("ticketId", out var id))
        {
            ExistingTicket = id as string;
        }
        return Page();
    }

    private async Task<bool> Load(string shopId)
    {
        var shop = await ShopFor(db, shopId, Permission.BindingsView);
        if (shop is null)
        {
            return false;
        }
        Shop = shop;
        if (BindingId is not null)
        {
            var b = await db.Bindings.AsNoTracking().Where(x => x.Id == BindingId && x.ShopId == shopId).Select(x => new { x.AccountId, x.Role }).SingleOrDefaultAsync(Ct);
            var handle = b is null ? null : await db.Accounts.AsNoTracking().Where(a => a.Id == b.AccountId).Select(a => a.Handle).SingleOrDefaultAsync(Ct);
            About = b is null ? BindingId : $"@{handle} · {RoleName(Wire.Name(b.Role))}";
        }
        else
        {
            About = $"@{Handle?.Trim().TrimStart('@')} · {(Wire.TryParse<BindingRole>(Role, out var r) ? RoleName(Wire.Name(r)) : "—")}";
        }
        return true;
    }
}
