using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Tickets;

/// <summary>What support may correct on the ticket's account (TS-E7): the registration country and the birth date, never the status.</summary>
public sealed record CorrectionInput(string? RegistrationCountry, string? BirthDate, string? Note);

/// <summary>
/// TS-E7 / X-3: a support agent corrects the ticket's account where the policy allows: never an account in abnormal
/// status, never one registered in a country support cannot fix (the US in the TikTok Shop preset), never the status.
/// The correction is kept on the ticket and in the account's history (before/after, who, on which ticket), announced
/// as an event, and the ticket then waits on the merchant to invite again or to tell the creator to accept.
/// </summary>
public sealed record CorrectAccount(string Id, string? RegistrationCountry, DateOnly? BirthDate, string? Note) : IWriteCommand
{
    public const int MaxNote = 500;

    public static (CorrectAccount? Command, FieldErrors Errors) From(string id, CorrectionInput input, DateTimeOffset now)
    {
        var e = new FieldErrors();
        var country = e.Country("registrationCountry", input.RegistrationCountry, required: false);
        var birth = e.Date("birthDate", input.BirthDate, required: false);
        if (birth is { } b && b > DateOnly.FromDateTime(now.UtcDateTime))
        {
            e.Add("birthDate", "cannot be in the future");
        }
        if (input.RegistrationCountry is null && input.BirthDate is null)
        {
            e.Add("registrationCountry", "give registrationCountry, birthDate or both (support never changes an account's status)");
        }
        if (input.Note is { Length: > MaxNote })
        {
            e.Add("note", $"at most {MaxNote} characters");
        }
        return e.Any ? (null, e) : (new CorrectAccount(id, country, birth, input.Note), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var ticket = await TicketRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (ticket is null)
        {
            return Result.NotFound("ticket");
        }
        if (!TicketAccess.CanCorrectAccounts(principal))
        {
            return Result.Forbidden("Only support staff correct account data (TS-E7).", "只有客服人员才能更正账号资料（TS-E7）。");
        }
        var open = SupportTickets.CheckOpen(ticket.State);
        if (!open.IsAllowed)
        {
            return ctx.Denied(open);
        }
        var shop = await ctx.Db.Shops.AsNoTracking().SingleAsync(s => s.Id == ticket.ShopId, ct);
        var policy = ctx.Policies.Get(shop.PolicyId);
        var account = await ctx.Db.Accounts.SingleAsync(a => a.Id == ticket.AccountId, ct);
        var correction = new AccountCorrection(RegistrationCountry is null ? null : new CountryCode(RegistrationCountry), BirthDate);
        var allowed = SupportTickets.CheckCorrection(account.ToDomain(), policy, correction);
        if (!allowed.IsAllowed)
        {
            return ctx.Denied(allowed);
        }
        var before = Corrected(account);
        account.RegistrationCountry = RegistrationCountry ?? account.RegistrationCountry;
        account.BirthDate = BirthDate ?? account.BirthDate;
        var after = Corrected(account);
        var fields = new[] { ("registrationCountry", RegistrationCountry is not null), ("birthDate", BirthDate is not null) }
            .Where(f => f.Item2).Select(f => f.Item1).ToArray();
        var row = new AccountCorrectionRow
        {
            Id = Ids.New("cor"), TicketId = ticket.Id, AccountId = account.Id, At = ctx.Now, By = ctx.Actor.Name,
            Before = JsonSerializer.Serialize(before, Json.Options), After = JsonSerializer.Serialize(after, Json.Options), Note = Note,
        };
        ctx.Db.AccountCorrections.Add(row);
        var ticketBefore = TicketRows.Snapshot(ticket);
        var support = policy.Support;
        ticket.State = TicketState.WaitingForMerchant;
        ticket.UpdatedAt = ctx.Now;
        ticket.DueAt = support is null ? ticket.DueAt : SupportTickets.DueAt(ticket.State, ctx.Now, support);
        // the account's own history holds the data change; the shop's history holds that its ticket led to one.
        ctx.Record("account", account.Id, "account.corrected_by_support", null, account.Id,
            new { before.RegistrationCountry, before.BirthDate, ticketId = ticket.Id },
            new { after.RegistrationCountry, after.BirthDate, ticketId = ticket.Id, correctionId = row.Id, Note });
        ctx.Record("support_ticket", ticket.Id, "support_ticket.account_corrected", ticket.ShopId, null, ticketBefore,
            new { ticket = TicketRows.Snapshot(ticket), correctionId = row.Id, fields });
        ctx.Emit(EventTypes.AccountCorrected, account.Id, null, account.Id, new { accountId = account.Id, ticketId = ticket.Id, correctionId = row.Id, fields });
        ctx.Emit(EventTypes.SupportTicketAccountCorrected, ticket.Id, ticket.ShopId, null, TicketRows.EventData(ticket, new { correctionId = row.Id, fields }));
        await ctx.Db.SaveChangesAsync(ct);
        return Result.Ok(await TicketRows.View(ctx.Db, ctx.Policies, ticket, ctx.Now, ctx.Lang, principal, ct, account));
    }

    /// <summary>The correctable fields, as kept on the correction (before and after).</summary>
    private static CorrectedFields Corrected(AccountRow a) =>
        new(a.RegistrationCountry, a.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private sealed record CorrectedFields(string RegistrationCountry, string BirthDate);
}
