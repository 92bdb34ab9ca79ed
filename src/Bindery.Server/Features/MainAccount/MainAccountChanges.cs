using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

/// <summary>
/// A main-account change as the API shows it (DY-M1..M4). <c>codeSentTo</c> is masked; the code never appears here.
/// <c>codeValid</c> and <c>waitingOn</c> are read from the clock, so they are exact without any write.
/// </summary>
public sealed record MainAccountChangeView(
    string Id,
    string ShopId,
    string State,
    string? FromAccountId,
    string ToAccountId,
    DateTimeOffset StartedAt,
    string StartedBy,
    string CodeSentTo,
    DateTimeOffset CodeExpiresAt,
    bool CodeValid,
    DateTimeOffset WindowEndsAt,
    int AttemptsLeft,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? EndedAt,
    WaitingOn? WaitingOn)
{
    /// <param name="shop">The shop's main-account state: given, <c>attemptsLeft</c> counts the shop's wrong codes (DY-M4), not only this change's.</param>
    public static MainAccountChangeView From(MainAccountChangeRow c, MainAccountPolicy policy, DateTimeOffset now, MainAccountState? shop = null)
    {
        // Settled before every read; the clock still decides, so a view is never stale by a sweep's period.
        var open = c.State == MainAccountChangeState.AwaitingCode && now < c.WindowEndsAt;
        var state = c.State == MainAccountChangeState.AwaitingCode && !open ? MainAccountChangeState.Expired : c.State;
        return new MainAccountChangeView(c.Id, c.ShopId, Wire.Name(state), c.FromAccountId, c.ToAccountId, c.StartedAt, c.StartedBy,
            c.SentTo, c.CodeExpiresAt, open && now < c.CodeExpiresAt, c.WindowEndsAt, open && shop is not null ? MainAccountRules.AttemptsLeft(c.ToDomain(), shop, policy, now) : MainAccountRules.AttemptsLeft(c.ToDomain(), policy),
            c.LockedUntil, c.EndedAt ?? (state == MainAccountChangeState.Expired ? c.WindowEndsAt : null),
            // Z-1: the new account's holder must enter the code sent to their phone before the window ends.
            open ? new WaitingOn("account", c.ToAccountId, c.WindowEndsAt, "expire") : null);
    }
}

/// <summary>The current main account's holder, without personal data beyond the masked phone.</summary>
public sealed record MainAccountHolder(string Id, string Handle, string Status, bool RealNameVerified, string? Phone);

/// <summary>One completed change: the main account's history (DY-M1: it changes only this way).</summary>
public sealed record MainAccountHistoryItem(string ChangeId, string? FromAccountId, string ToAccountId, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset CompletedAt);

/// <summary>
/// DY-M3/M4 as counters (Z-2): completed changes in the rolling period, the waiting period, a lock in force, and the
/// earliest instant time alone lets a new change start (<c>nextChangeAt</c>; null when nothing in time holds it back).
/// </summary>
public sealed record MainAccountLimits(
    int ChangesInPeriod,
    int MaxChanges,
    string ChangePeriod,
    string RebindWaitingPeriod,
    DateTimeOffset? LastChangedAt,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? NextChangeAt,
    IReadOnlyList<ReasonView> HeldBackBy);

/// <summary>The shop's main account now, since when, the change in progress, and every completed change (oldest first).</summary>
public sealed record MainAccountView(
    string ShopId,
    string? MainAccountId,
    MainAccountHolder? Account,
    DateTimeOffset Since,
    MainAccountChangeView? OpenChange,
    IReadOnlyList<MainAccountHistoryItem> History,
    MainAccountLimits Limits,
    DateTimeOffset AsOf);

/// <summary>Loads what the main-account rules read, and the history images of a change (without its code).</summary>
public static class MainAccountChanges
{
    public static string MaskPhone(string? phone) => AccountView.MaskPhone(phone) ?? "";

    /// <summary>X-1 before/after image: everything but the code's hash and salt.</summary>
    public static object Snapshot(MainAccountChangeRow c) => new
    {
        c.Id, c.ShopId, c.FromAccountId, c.ToAccountId, state = Wire.Name(c.State), c.StartedAt, c.StartedBy, c.SentTo,
        c.CodeExpiresAt, c.WindowEndsAt, c.WrongCodes, c.LockedUntil, c.EndedAt,
    };

    /// <summary>
    /// A code that was used, superseded or can no longer be entered is wiped: a short numeric code is quickly found
    /// from its hash, so the hash is kept only while the code can be used.
    /// </summary>
    public static void WipeCode(MainAccountChangeRow c)
    {
        c.CodeHash = "";
        c.CodeSalt = "";
    }

    /// <summary>
    /// What the rules read about the shop's main account at <paramref name="now"/>: its completed changes, locks, the
    /// open change, and the wrong codes entered for any of its changes within twice the policy's <c>lockFor</c> (DY-M4
    /// counts them per shop, whatever became of the change they were entered for).
    /// </summary>
    public static async Task<MainAccountState> State(BinderyDb db, ShopRow shop, MainAccountPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.MainAccountChanges.AsNoTracking()
            .Where(c => c.ShopId == shop.Id && (c.State == MainAccountChangeState.Completed || c.State == MainAccountChangeState.Locked
                || c.State == MainAccountChangeState.AwaitingCode))
            .ToListAsync(ct);
        // Two periods back: a lock these codes imply at its start still runs now.
        var since = now - policy.LockFor - policy.LockFor;
        var wrong = await db.MainAccountWrongCodes.AsNoTracking().Where(w => w.ShopId == shop.Id && w.At > since).Select(w => w.At).ToListAsync(ct);
        return new MainAccountState
        {
            WrongCodes = wrong,
            MainAccountId = shop.MainAccountId,
            CompletedChanges = rows.Where(c => c.State == MainAccountChangeState.Completed && c.EndedAt is not null).Select(c => c.EndedAt!.Value).ToArray(),
            LockedUntil = rows.Where(c => c.State == MainAccountChangeState.Locked).Max(c => c.LockedUntil),
            OpenChange = rows.FirstOrDefault(c => c.State == MainAccountChangeState.AwaitingCode)?.ToDomain(),
        };
    }

    public static async Task<(MainAccountCandidate Candidate, AccountRow? Row)> Candidate(BinderyDb db, string accountId, CancellationToken ct)
    {
        var row = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct);
        return (new MainAccountCandidate(accountId, row?.ToDomain(), !string.IsNullOrEmpty(row?.Phone)), row);
    }

    /// <summary>A change visible to the principal: its shop's merchant, the admin, or the creator of the new account.</summary>
    public static async Task<MainAccountChangeRow?> Visible(BinderyDb db, Principal p, string id, bool track, CancellationToken ct)
    {
        var q = track ? db.MainAccountChanges : db.MainAccountChanges.AsNoTracking();
        var c = await q.SingleOrDefaultAsync(x => x.Id == id, ct);
        return c is not null && (p.ActsForShop(c.ShopId) || p.ActsForAccount(c.ToAccountId)) ? c : null;
    }

    /// <summary>409 for a shop whose policy has no main account (e.g. TikTok Shop): nothing to change.</summary>
    public static Result NotOffered(ShopRow shop) => Result.Refused("main_account_not_offered",
        $"Shop {shop.Id} is governed by policy {shop.PolicyId}, which has no main account (no mainAccount section); there is nothing to change (DY-M1).",
        $"店铺 {shop.Id} 适用的规则 {shop.PolicyId} 没有主账户（mainAccount），无法更换主账户（DY-M1）。");

    public static Result SenderUnavailable() => Result.Refused("code_sender_unavailable",
        "No one-time code sender is configured (Bindery:Otp:Sender), so no code can be sent; nothing was changed.",
        "服务未配置验证码发送方式（Bindery:Otp:Sender），无法发送验证码，未做任何更改。");
}
