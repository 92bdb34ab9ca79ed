using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Writes;

/// <summary>
/// Transitions that time alone causes (TS-I1 expiry, TS-U4 auto-approval), recorded at the instant they became
/// due, not when noticed. Run before every write and by the background sweep, so state is always settled
/// before a rule reads it.
/// </summary>
public static class TimeTransitions
{
    public const string EndedByUnlinkApproval = "unlink_approved";
    public const string EndedByUnlinkAutoApproval = "unlink_auto_approved";
    public const string EndedBySwap = "swapped";

    /// <summary>End reasons that spend an unbind (TS-Q2); a swap spends one as the policy says (Z-4).</summary>
    public static readonly string[] UnbindReasons = [EndedByUnlinkApproval, EndedByUnlinkAutoApproval, EndedBySwap];

    public static async Task SettleDue(WriteContext ctx, CancellationToken ct)
    {
        var db = ctx.Db;
        var now = ctx.Now;
        var expired = await db.Bindings
            .Where(b => b.State == BindingState.Invited && b.ExpiresAt <= now)
            .OrderBy(b => b.ExpiresAt)
            .ToListAsync(ct);
        foreach (var b in expired)
        {
            var before = Snapshots.Of(b);
            b.State = BindingState.Expired;
            b.EndedAt = b.ExpiresAt;
            b.EndedBy = "system";
            b.EndReason = "invitation_expired";
            ctx.Record("binding", b.Id, "invitation.expired", b.ShopId, b.AccountId, before, Snapshots.Of(b), at: b.ExpiresAt);
            ctx.Emit(EventTypes.InvitationExpired, b.Id, b.ShopId, b.AccountId, new { bindingId = b.Id, b.ShopId, b.AccountId, role = Wire.Name(b.Role) }, b.ExpiresAt);
        }

        var dueUnlinks = await db.UnlinkRequests
            .Where(u => u.State == UnlinkState.Pending && u.AutoApproveAt <= now)
            .OrderBy(u => u.AutoApproveAt)
            .ToListAsync(ct);
        foreach (var u in dueUnlinks)
        {
            var binding = await db.Bindings.SingleAsync(b => b.Id == u.BindingId, ct);
            var uBefore = Snapshots.Of(u);
            u.State = UnlinkState.AutoApproved;
            u.DecidedAt = u.AutoApproveAt;
            u.DecidedBy = "system";
            u.DecisionNote = "no answer from the shop within the policy period (TS-U4)";
            ctx.Record("unlink_request", u.Id, "unlink_request.auto_approved", u.ShopId, u.AccountId, uBefore, Snapshots.Of(u), at: u.AutoApproveAt);
            ctx.Emit(EventTypes.UnlinkRequestAutoApproved, u.Id, u.ShopId, u.AccountId, new { unlinkRequestId = u.Id, bindingId = u.BindingId }, u.AutoApproveAt);
            EndBinding(ctx, binding, u.AutoApproveAt, "system", EndedByUnlinkAutoApproval, Actor.System);
        }

        var nextExpiry = await db.Bindings.Where(b => b.State == BindingState.Invited && b.ExpiresAt > now)
            .OrderBy(b => b.ExpiresAt).Select(b => (DateTimeOffset?)b.ExpiresAt).FirstOrDefaultAsync(ct);
        var nextAuto = await db.UnlinkRequests.Where(u => u.State == UnlinkState.Pending && u.AutoApproveAt > now)
            .OrderBy(u => u.AutoApproveAt).Select(u => (DateTimeOffset?)u.AutoApproveAt).FirstOrDefaultAsync(ct);
        var next = Min(nextExpiry, nextAuto);

        // Other time-driven workflows: each settles what is due and answers when it next has something due.
        foreach (var settle in Others)
        {
            next = Min(next, await settle(ctx, ct));
        }
        ctx.SetNextDue(next);
    }

    /// <summary>
    /// The settle steps of the other workflows (shop closure and account deletion, main-account changes, unbind
    /// applications), run in this order after invitations and unlink requests.
    /// </summary>
    private static readonly Func<WriteContext, CancellationToken, Task<DateTimeOffset?>>[] Others =
    [
        // (each workflow adds its settle step here)
        LifecycleTransitions.SettleDue,
        Api.MainAccount.ExpireMainAccountChanges.Settle,
        UnbindApplicationDeadlines.Settle,
    ];

    /// <summary>TS-U3: ending keeps the row, with who ended it, when and why; emits binding.ended.</summary>
    public static void EndBinding(WriteContext ctx, BindingRow b, DateTimeOffset at, string by, string reason, Actor? actor = null)
    {
        var before = Snapshots.Of(b);
        b.State = BindingState.Ended;
        b.EndedAt = at;
        b.EndedBy = by;
        b.EndReason = reason;
        ctx.Record("binding", b.Id, "binding.ended", b.ShopId, b.AccountId, before, Snapshots.Of(b), actor, at);
        ctx.Emit(EventTypes.BindingEnded, b.Id, b.ShopId, b.AccountId, new { bindingId = b.Id, b.ShopId, b.AccountId, role = Wire.Name(b.Role), reason, endedBy = by }, at);
    }

    public static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
