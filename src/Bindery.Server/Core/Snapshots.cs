using Bindery.Domain;
using Bindery.Persistence;

namespace Bindery.Server.Core;

/// <summary>The before/after images kept in history .</summary>
public static class Snapshots
{
    public static object Of(BindingRow b) => new
    {
        b.Id, b.ShopId, b.AccountId, role = Wire.Name(b.Role), state = Wire.Name(b.State),
        b.InvitedAt, b.ExpiresAt, b.AnsweredAt, b.ActivatedAt, b.EndedAt, b.EndedBy, b.EndReason,
    };

    public static object Of(UnlinkRequestRow u) => new
    {
        u.Id, u.BindingId, state = Wire.Name(u.State), u.Reason, u.RequestedAt, u.RequestedBy, u.AutoApproveAt,
        u.DecidedAt, u.DecidedBy, note = u.DecisionNote,
    };

    public static object Of(ShopRow s) => ShopView.From(s);

    public static object Of(AccountRow a) => AccountView.From(a);
}
