using Bindery.Domain;

namespace Bindery.Persistence;

/// <summary>X-3: a merchant's support ticket about one invitation of its shop (pending or refused).</summary>
public sealed class SupportTicketRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public TicketSubject Subject { get; set; }

    /// <summary>The pending invitation (a binding) the ticket is about; null for a refused invitation (nothing was stored).</summary>
    public string? BindingId { get; set; }
    public required string AccountId { get; set; }
    public BindingRole Role { get; set; }
    public TicketState State { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Z-1: by when the party whose move it is should act (null once closed).</summary>
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public string? CloseReason { get; set; }
}

/// <summary>X-3: one message on a ticket, by the merchant or by support; append-only.</summary>
public sealed class TicketMessageRow
{
    public long Seq { get; set; }
    public required string TicketId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Author { get; set; }

    /// <summary>"merchant" or "support".</summary>
    public required string AuthorRole { get; set; }
    public required string Body { get; set; }
}

/// <summary>TS-E7: account data corrected by support while acting on a ticket (before and after, JSON).</summary>
public sealed class AccountCorrectionRow
{
    public required string Id { get; set; }
    public required string TicketId { get; set; }
    public required string AccountId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string By { get; set; }
    public required string Before { get; set; }
    public required string After { get; set; }
    public string? Note { get; set; }
}

/// <summary>DY-D5: a sub account serving a shop's customers, in one group, with a status and an optional capacity.</summary>
public sealed class ChatAgentRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public required string AccountId { get; set; }
    public required string Group { get; set; }
    public AgentStatus Status { get; set; }
    public int? Capacity { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset StatusChangedAt { get; set; }

    /// <summary>When the agent was last given a conversation: the fair tie-break (longest ago first).</summary>
    public DateTimeOffset? LastAssignedAt { get; set; }
}

/// <summary>DY-D5: a customer conversation of a shop, queued or assigned to an agent of its group, until closed.</summary>
public sealed class ConversationRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public required string CustomerRef { get; set; }
    public required string Group { get; set; }
    public ConversationState State { get; set; }
    public string? AgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public int Reassignments { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}
