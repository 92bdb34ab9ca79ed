using Bindery.Domain;
using Bindery.Persistence;

namespace Bindery.Server.Features.Chat;

/// <summary>DY-D5: a customer-service agent with its group, status, capacity and current load.</summary>
public sealed record ChatAgentView(
    string Id, string ShopId, string AccountId, string Group, string Status, int? Capacity, int OpenConversations,
    DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt, DateTimeOffset? LastAssignedAt)
{
    public static ChatAgentView From(ChatAgentRow a, int open) =>
        new(a.Id, a.ShopId, a.AccountId, a.Group, Wire.Name(a.Status), a.Capacity, open, a.CreatedAt, a.StatusChangedAt, a.LastAssignedAt);
}

/// <summary>DY-D5: a customer conversation, queued (with its place in the group's queue) or assigned to an agent.</summary>
public sealed record ConversationView(
    string Id, string ShopId, string CustomerRef, string Group, string State, string? AgentId, string? AgentAccountId,
    int? QueuePosition, DateTimeOffset CreatedAt, DateTimeOffset? AssignedAt, int Reassignments, DateTimeOffset? ClosedAt, string? ClosedBy)
{
    public static ConversationView From(ConversationRow c, ChatAgentRow? agent, int? queuePosition = null) =>
        new(c.Id, c.ShopId, c.CustomerRef, c.Group, Wire.Name(c.State), c.AgentId, agent?.AccountId,
            c.State == ConversationState.Queued ? queuePosition : null, c.CreatedAt, c.AssignedAt, c.Reassignments, c.ClosedAt, c.ClosedBy);
}

/// <summary>The answer to a status change: the agent and every conversation it moved (DY-D5).</summary>
public sealed record AgentStatusView(ChatAgentView Agent, IReadOnlyList<ConversationView> Moved);
