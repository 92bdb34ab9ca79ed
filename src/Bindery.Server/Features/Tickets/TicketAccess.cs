using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Tickets;

/// <summary>
/// Every authorization decision about support tickets, in one place: support agents (and the admin) act as
/// support; the shop's merchant (its main account, or a sub account holding bindings.view, as the endpoints declare)
/// acts for its shop.
/// </summary>
public static class TicketAccess
{
    /// <summary>Support staff: see every ticket, the queue, reply as support and correct account data (TS-E7).</summary>
    public static bool CanActAsSupport(Principal p) => p.Is(PrincipalKind.Support);

    /// <summary>The shop's side of a ticket: open one, reply, close, see its tickets.</summary>
    public static bool CanActForShop(Principal p, string shopId) => p.Kind == PrincipalKind.Merchant ? p.ActsForShop(shopId) : CanActAsSupport(p);

    public static bool CanOpen(Principal p, string shopId) => CanActForShop(p, shopId);

    /// <summary>A ticket is visible to its shop and to support staff only; to anyone else it does not exist (404).</summary>
    public static bool CanSee(Principal p, SupportTicketRow t) => CanActAsSupport(p) || CanActForShop(p, t.ShopId);

    public static bool CanReply(Principal p, SupportTicketRow t) => CanSee(p, t);

    public static bool CanClose(Principal p, SupportTicketRow t) => CanSee(p, t);

    public static bool CanCorrectAccounts(Principal p) => CanActAsSupport(p);

    /// <summary>Which side a message is written by: support staff, or the merchant.</summary>
    public static string RoleOf(Principal p) => CanActAsSupport(p) ? "support" : "merchant";
}
