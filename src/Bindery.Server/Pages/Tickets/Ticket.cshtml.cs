using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Tickets;

/// <summary>
/// A support ticket (X-3, TS-E7, Z-1) for its shop and for support: what blocks the invitation now, the messages,
/// corrections made by support, and the forms: reply, correct the account (support only), close with a reason.
/// Every action is the API's own command through the write pipeline; who may do what is TicketAccess's answer.
/// </summary>
public sealed class TicketModel(BinderyDb db, TimeProvider clock) : ConsolePage
{
    public TicketView Ticket { get; private set; } = null!;
    public string ShopName { get; private set; } = "";
    public string Handle { get; private set; } = "";

    /// <summary>The account's current data, shown next to the correction form.</summary>
    public AccountRow Account { get; private set; } = null!;

    public bool AsSupport => Me is { } me && TicketAccess.CanActAsSupport(me);

    public bool IsOpen => Ticket.State != "closed";

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public string? RegistrationCountry { get; set; }

    [BindProperty]
    public string? BirthDate { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string id) => await Load(id) ? Page() : NotVisible();

    public async Task<IActionResult> OnPostReplyAsync(string id)
    {
        if (!await Load(id))
        {
            return NotVisible();
        }
        if (Text(Body, SupportTickets.MaxMessage, "body", "ticket.reply-required"))
        {
            return Page();
        }
        return await After(id, await Run(new ReplyToTicket(id, Body!.Trim())), "ticket.replied");
    }

    public async Task<IActionResult> OnPostCloseAsync(string id)
    {
        if (!await Load(id))
        {
            return NotVisible();
        }
        if (Text(Reason, SupportTickets.MaxCloseReason, "reason", "ticket.close-reason-required"))
        {
            return Page();
        }
        return await After(id, await Run(new CloseTicket(id, Reason!.Trim())), "ticket.closed");
    }

    /// <summary>TS-E7: support corrects the registration country or the birth date; a refusal is shown next to the field.</summary>
    public async Task<IActionResult> OnPostCorrectAsync(string id)
    {
        if (!await Load(id))
        {
            return NotVisible();
        }
        if (!AsSupport)
        {
            Problem = Explain(Result.Forbidden(Pages.Text.For(Language.En)["ticket.support-only"], Pages.Text.For(Language.ZhCn)["ticket.support-only"]));
            return Page();
        }
        var country = string.IsNullOrWhiteSpace(RegistrationCountry) ? null : RegistrationCountry.Trim().ToUpperInvariant();
        var birth = string.IsNullOrWhiteSpace(BirthDate) ? null : BirthDate.Trim();
        var note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        var (command, errors) = CorrectAccount.From(id, new CorrectionInput(country, birth, note), clock.GetUtcNow());
        if (command is null)
        {
            var fields = (errors.ToResult() as InvalidResult)?.Errors ?? new Dictionary<string, string[]>();
            if (country is null && birth is null)
            {
                FieldErrors["registrationCountry"] = T["ticket.correct-nothing"];
            }
            else
            {
                if (fields.ContainsKey("registrationCountry")) { FieldErrors["registrationCountry"] = T["ticket.country-invalid"]; }
                if (fields.ContainsKey("birthDate")) { FieldErrors["birthDate"] = T["ticket.birth-invalid"]; }
                if (fields.ContainsKey("note")) { FieldErrors["note"] = T.F("ticket.too-long", CorrectAccount.MaxNote); }
            }
            return Page();
        }
        var outcome = await Run(command);
        if (outcome is DeniedResult { Decision.Reasons.Count: > 0 } denied)
        {
            var reasons = ReasonView.For(denied.Decision, Lang, Me!);
            // TS-E7 (a US-registered or abnormal account): the rule's own message, next to the field that was to change.
            var text = string.Join(" ", reasons.Select(r => $"[{r.Rule}] {r.Message}"));
            FieldErrors[country is not null ? "registrationCountry" : "birthDate"] = text;
            return Page();
        }
        return await After(id, outcome, "ticket.corrected");
    }

    private bool Text(string? text, int max, string field, string requiredKey)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            FieldErrors[field] = T[requiredKey];
        }
        else if (text.Length > max)
        {
            FieldErrors[field] = T.F("ticket.too-long", max);
        }
        return FieldErrors.Count > 0;
    }

    private async Task<IActionResult> After(string id, Result outcome, string doneKey)
    {
        if (outcome.IsSuccess)
        {
            return Done(T[doneKey], $"/console/tickets/{id}");
        }
        Problem = Explain(outcome);
        return await Load(id) ? Page() : NotVisible();
    }

    private async Task<bool> Load(string id)
    {
        if (Me is not { } me || !(me.Kind == PrincipalKind.Merchant || TicketAccess.CanActAsSupport(me)))
        {
            return false;
        }
        var row = await TicketRows.Visible(db, me, id, track: false, Ct);
        if (row is null)
        {
            return false;
        }
        if (me.Kind == PrincipalKind.Merchant && !me.May(Permission.BindingsView))
        {
            Refuse(Permission.BindingsView);
            return false;
        }
        if (Value<TicketView>(await TicketQueries.Get(id, Reader, Ct)) is not { } ticket)
        {
            return false;
        }
        Ticket = ticket;
        ShopName = await db.Shops.AsNoTracking().Where(s => s.Id == Ticket.ShopId).Select(s => s.Name).SingleAsync(Ct);
        Account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == Ticket.AccountId, Ct);
        Handle = "@" + Account.Handle;
        return true;
    }

    public string CorrectedFrom(AccountCorrectionView c, string field) =>
        c.Before.TryGetProperty(field, out var v) ? v.ToString() : "—";

    public string CorrectedTo(AccountCorrectionView c, string field) =>
        c.After.TryGetProperty(field, out var v) ? v.ToString() : "—";

    public string Author(TicketMessageView m) => m.AuthorRole == "support" ? T["ticket.by-support"] : T["ticket.by-shop"];
}
