using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Tickets;

/// <summary>One message on a ticket .</summary>
public sealed record TicketMessageView(long Seq, DateTimeOffset At, string Author, string AuthorRole, string Body);

/// <summary>TS-E7: account data support corrected while acting on the ticket, before and after.</summary>
public sealed record AccountCorrectionView(string Id, string AccountId, DateTimeOffset At, string By, JsonElement Before, JsonElement After, string? Note);

/// <summary>
/// A support ticket: what it is about, what blocks it now (TS-E7), its messages and corrections, whose move it
/// is and by when (Z-1), and who closed it and why.
/// </summary>
public sealed record TicketView(
    string Id, string ShopId, string Subject, string? BindingId, string AccountId, string Role, string State,
    DateTimeOffset OpenedAt, string OpenedBy, DateTimeOffset UpdatedAt, WaitingOn? WaitingOn, bool Overdue,
    TicketBlocking? Blocking, IReadOnlyList<TicketMessageView> Messages, IReadOnlyList<AccountCorrectionView> Corrections,
    DateTimeOffset? ClosedAt, string? ClosedBy, string? CloseReason)
{
    public static TicketView From(SupportTicketRow t, DateTimeOffset now, TicketBlocking? blocking,
        IEnumerable<TicketMessageRow> messages, IEnumerable<AccountCorrectionRow> corrections) =>
        new(t.Id, t.ShopId, Wire.Name(t.Subject), t.BindingId, t.AccountId, Wire.Name(t.Role), Wire.Name(t.State),
            t.OpenedAt, t.OpenedBy, t.UpdatedAt, TicketRows.Waiting(t), t.DueAt is { } due && SupportTickets.IsOpen(t.State) && now >= due,
            blocking,
            messages.OrderBy(m => m.Seq).Select(m => new TicketMessageView(m.Seq, m.At, m.Author, m.AuthorRole, m.Body)).ToArray(),
            corrections.OrderBy(c => c.At).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new AccountCorrectionView(c.Id, c.AccountId, c.At, c.By, Parse(c.Before), Parse(c.After), c.Note)).ToArray(),
            t.ClosedAt, t.ClosedBy, t.CloseReason);

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

/// <summary>A ticket in a list: no messages, the blocking reasons only on request.</summary>
public sealed record TicketSummaryView(
    string Id, string ShopId, string Subject, string? BindingId, string AccountId, string Role, string State,
    DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt, WaitingOn? WaitingOn, bool Overdue, DateTimeOffset? ClosedAt)
{
    public static TicketSummaryView From(SupportTicketRow t, DateTimeOffset now) =>
        new(t.Id, t.ShopId, Wire.Name(t.Subject), t.BindingId, t.AccountId, Wire.Name(t.Role), Wire.Name(t.State), t.OpenedAt, t.UpdatedAt,
            TicketRows.Waiting(t), t.DueAt is { } due && SupportTickets.IsOpen(t.State) && now >= due, t.ClosedAt);
}

/// <summary>The support queue: open tickets, soonest due first, overdue ones flagged (Z-1).</summary>
public sealed record SupportQueueView(DateTimeOffset AsOf, int Count, int Overdue, IReadOnlyList<TicketSummaryView> Items);

/// <summary>Loading and showing tickets the way every use case needs them.</summary>
public static class TicketRows
{
    /// <summary>Z-1: support ("staff", "support") or the shop ("shop", its id) must act by the due instant, else the ticket is flagged overdue.</summary>
    public static WaitingOn? Waiting(SupportTicketRow t) => (SupportTickets.WaitingParty(t.State), t.DueAt) switch
    {
        ("staff", { } due) => new WaitingOn("staff", "support", due, "flagged_overdue"),
        ("shop", { } due) => new WaitingOn("shop", t.ShopId, due, "flagged_overdue"),
        _ => null,
    };

    /// <summary>A ticket the principal may see, else null (answered 404: another shop's ticket does not exist for it).</summary>
    public static async Task<SupportTicketRow?> Visible(BinderyDb db, Principal p, string id, bool track, CancellationToken ct)
    {
        var q = track ? db.SupportTickets : db.SupportTickets.AsNoTracking();
        var t = await q.SingleOrDefaultAsync(x => x.Id == id, ct);
        return t is not null && TicketAccess.CanSee(p, t) ? t : null;
    }

    /// <summary>
    /// The full view, with the blocking reasons computed now from the current state. Inside a write, call it after the
    /// command's changes are saved to its transaction (pass a corrected account that is still tracked).
    /// </summary>
    public static async Task<TicketView> View(BinderyDb db, PolicyCatalog policies, SupportTicketRow t, DateTimeOffset now, Language lang,
        Principal viewer, CancellationToken ct, AccountRow? account = null)
    {
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == t.ShopId, ct);
        account ??= await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == t.AccountId, ct);
        var blocking = SupportTickets.IsOpen(t.State) ? await TicketBlocking.For(db, policies, t, shop, account, now, lang, viewer, ct) : null;
        var messages = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == t.Id).ToListAsync(ct);
        var corrections = await db.AccountCorrections.AsNoTracking().Where(c => c.TicketId == t.Id).ToListAsync(ct);
        return TicketView.From(t, now, blocking, messages, corrections);
    }

    /// <summary>X-1: the before/after image in history (no message bodies: they are in the ticket itself).</summary>
    public static object Snapshot(SupportTicketRow t) => new
    {
        t.Id, t.ShopId, subject = Wire.Name(t.Subject), t.BindingId, t.AccountId, role = Wire.Name(t.Role), state = Wire.Name(t.State),
        t.OpenedAt, t.OpenedBy, t.UpdatedAt, t.DueAt, t.ClosedAt, t.ClosedBy, t.CloseReason,
    };

    /// <summary>X-2: what every ticket event carries.</summary>
    public static object EventData(SupportTicketRow t, object? extra = null) => new
    {
        ticketId = t.Id, t.ShopId, t.BindingId, t.AccountId, state = Wire.Name(t.State), waitingOn = Waiting(t), details = extra,
    };

    /// <summary>The shop's support policy, or null when its policy offers no tickets.</summary>
    public static async Task<SupportPolicy?> SupportOf(BinderyDb db, PolicyCatalog policies, string shopId, CancellationToken ct) =>
        policies.Get(await db.Shops.AsNoTracking().Where(s => s.Id == shopId).Select(s => s.PolicyId).SingleAsync(ct)).Support;

    public static string? CheckText(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? "is required" : text.Length > max ? $"at most {max} characters" : null;
}
