using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Tickets;

/// <summary>
/// Every authorization decision about support tickets, in one place. Today support staff are the admin token
/// and a merchant acts for its own shop; when staff roles and sub-account permissions exist, only these methods change
/// (support agent role → <see cref="CanActAsSupport"/>; a sub account with a ticket permission → <see cref="CanActForShop"/>).
/// </summary>
public static class TicketAccess
{
    /// <summary>Support staff: see every ticket, the queue, reply as support and correct account data (TS-E7).</summary>
    public static bool CanActAsSupport(Principal p) => p.IsAdmin;

    /// <summary>The shop's side of a ticket: open one, reply, close, see its tickets.</summary>
    public static bool CanActForShop(Principal p, string shopId) => p.ActsForShop(shopId);

    public static bool CanOpen(Principal p, string shopId) => CanActForShop(p, shopId);

    /// <summary>A ticket is visible to its shop and to support staff only; to anyone else it does not exist (404).</summary>
    public static bool CanSee(Principal p, SupportTicketRow t) => CanActAsSupport(p) || CanActForShop(p, t.ShopId);

    public static bool CanReply(Principal p, SupportTicketRow t) => CanSee(p, t);

    public static bool CanClose(Principal p, SupportTicketRow t) => CanSee(p, t);

    public static bool CanCorrectAccounts(Principal p) => CanActAsSupport(p);

    /// <summary>Which side a message is written by: support staff, or the merchant.</summary>
    public static string RoleOf(Principal p) => CanActAsSupport(p) ? "support" : "merchant";
}
