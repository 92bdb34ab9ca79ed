using Bindery.Domain;
using Bindery.Persistence;

namespace Bindery.Server.Core;

/// <summary>TS-U3: how a binding ends, kept on its row with who ended it, when and why; the reasons the rules count.</summary>
public static class BindingEnds
{
    public const string UnlinkApproved = "unlink_approved";
    public const string UnlinkAutoApproved = "unlink_auto_approved";
    public const string Swapped = "swapped";

    /// <summary>End reasons that spend an unbind (TS-Q2); a swap spends one as the policy says (Z-4).</summary>
    public static readonly string[] UnbindReasons = [UnlinkApproved, UnlinkAutoApproved, Swapped];

    /// <summary>Ends the binding at <paramref name="at"/>: the row stays, with who ended it and why; emits binding.ended.</summary>
    public static void End(WriteContext ctx, BindingRow b, DateTimeOffset at, string by, string reason, Actor? actor = null)
    {
        var before = Snapshots.Of(b);
        b.State = BindingState.Ended;
        b.EndedAt = at;
        b.EndedBy = by;
        b.EndReason = reason;
        ctx.Record("binding", b.Id, "binding.ended", b.ShopId, b.AccountId, before, Snapshots.Of(b), actor, at);
        ctx.Emit(EventTypes.BindingEnded, b.Id, b.ShopId, b.AccountId, new { bindingId = b.Id, b.ShopId, b.AccountId, role = Wire.Name(b.Role), reason, endedBy = by }, at);
    }
}
