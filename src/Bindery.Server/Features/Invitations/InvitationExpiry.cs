using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Invitations;

/// <summary>TS-I1 settle step: an invitation not answered in time expires at its expiry instant.</summary>
public static class InvitationExpiry
{
    public static async Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct)
    {
        var now = ctx.Now;
        var expired = await ctx.Db.Bindings
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
        return await ctx.Db.Bindings.Where(b => b.State == BindingState.Invited && b.ExpiresAt > now)
            .OrderBy(b => b.ExpiresAt).Select(b => (DateTimeOffset?)b.ExpiresAt).FirstOrDefaultAsync(ct);
    }
}
