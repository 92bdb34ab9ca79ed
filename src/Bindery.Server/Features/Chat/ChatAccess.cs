using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Chat;

/// <summary>
/// Every authorization decision about customer-chat routing (DY-D5), in one place. The shop's main account (or the
/// admin) manages agents; the shop's side routes and sees conversations; an agent acts through its own account's token
/// or as a sub account of the shop holding the chat permission (DY-D4).
/// </summary>
public static class ChatAccess
{
    /// <summary>Register agents and change their group or capacity: the shop's side.</summary>
    public static bool CanManageAgents(Principal p, string shopId) => p.IsAdmin || (p.Kind == PrincipalKind.Merchant && !p.IsSub && p.ActsForShop(shopId));

    /// <summary>Hand an incoming customer conversation to the shop (the platform's chat front end acts for the shop).</summary>
    public static bool CanRoute(Principal p, string shopId) => p.IsAdmin || (p.Kind == PrincipalKind.Merchant && p.ActsForShop(shopId) && p.May(Permission.Chat));

    /// <summary>See every agent and conversation of the shop.</summary>
    public static bool CanSeeAll(Principal p, string shopId) => p.IsAdmin || (p.Kind == PrincipalKind.Merchant && !p.IsSub && p.ActsForShop(shopId));

    /// <summary>The agent's own principal: its account's creator token, or its sub-account credential for the shop.</summary>
    public static bool ActsAsAgent(Principal p, ChatAgentRow agent) =>
        (p.Kind == PrincipalKind.Creator && string.Equals(p.AccountId, agent.AccountId, StringComparison.Ordinal))
        || (p.IsSub && p.May(Permission.Chat) && string.Equals(p.SubAccountId, agent.AccountId, StringComparison.Ordinal)
            && string.Equals(p.ShopId, agent.ShopId, StringComparison.Ordinal));

    /// <summary>Set an agent's status (online, busy, offline): the agent itself or the shop.</summary>
    public static bool CanSetStatus(Principal p, ChatAgentRow agent) => CanManageAgents(p, agent.ShopId) || ActsAsAgent(p, agent);

    /// <summary>Close a conversation: the shop, or the agent it is assigned to.</summary>
    public static bool CanClose(Principal p, ConversationRow c, ChatAgentRow? agent) =>
        CanSeeAll(p, c.ShopId) || (agent is not null && ActsAsAgent(p, agent));

    /// <summary>
    /// DY-D4 / DY-D1: may this account serve the shop's customers as a sub account? Today: a certified enterprise
    /// account in normal status that is not the shop's main account (<see cref="ChatRouting.CheckAgent"/>).
    /// </summary>
    public static Decision MayServe(AccountRow account, ShopRow shop) => ChatRouting.CheckAgent(account.ToDomain(), shop.MainAccountId);
}
