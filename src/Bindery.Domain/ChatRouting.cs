namespace Bindery.Domain;

/// <summary>DY-D5: a customer-service sub account's status. Only online agents receive new conversations.</summary>
public enum AgentStatus { Online, Busy, Offline }

/// <summary>DY-D5: a customer conversation waits in the queue, is assigned to an agent, or is closed.</summary>
public enum ConversationState { Queued, Assigned, Closed }

/// <summary>
/// One agent as routing sees it: its status, how many open conversations it holds, its optional capacity and when
/// it was last given a conversation. Invariant: <see cref="Open"/> ≥ 0; a capacity, when set, is ≥ 1.
/// </summary>
public sealed record AgentLoad
{
    public AgentLoad(string id, AgentStatus status, int open, int? capacity, DateTimeOffset? lastAssignedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfNegative(open);
        if (capacity is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }
        Id = id;
        Status = status;
        Open = open;
        Capacity = capacity;
        LastAssignedAt = lastAssignedAt;
    }

    public string Id { get; }
    public AgentStatus Status { get; }
    public int Open { get; }
    public int? Capacity { get; }
    public DateTimeOffset? LastAssignedAt { get; }

    /// <summary>Online and below its capacity (if it has one).</summary>
    public bool CanTakeMore => Status == AgentStatus.Online && (Capacity is not { } c || Open < c);

    public AgentLoad WithOneMore(DateTimeOffset at) => new(Id, Status, Open + 1, Capacity, at);
}

/// <summary>
/// DY-D5: which agent of a group receives the next conversation. A pure function: among the agents that are online
/// and below capacity, the one with the fewest open conversations; ties go to the one assigned longest ago (never
/// assigned first), then to the smallest id, so equal agents take turns and the answer never depends on load order.
/// </summary>
public static class ChatRouting
{
    public static readonly string Rule = RuleCatalog.ChatRouting.Id;
    public static readonly string SubAccountRule = RuleCatalog.SubAccountPermissions.Id;

    public const int MaxGroup = 32;
    public const int MaxCustomerRef = 128;

    /// <summary>The agent to assign, or null: nobody of the group can take it now, so it is queued.</summary>
    public static AgentLoad? Pick(IEnumerable<AgentLoad> agents) =>
        agents.Where(a => a.CanTakeMore)
            .OrderBy(a => a.Open)
            .ThenBy(a => a.LastAssignedAt ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// Assigns <paramref name="conversations"/> (oldest first) one at a time, each to <see cref="Pick"/> over the loads
    /// as they grow; answers the agent id per conversation (null = stays queued) and the final loads.
    /// </summary>
    public static (IReadOnlyList<(string Conversation, string? Agent)> Assignments, IReadOnlyList<AgentLoad> Loads) Distribute(
        IEnumerable<string> conversations, IEnumerable<AgentLoad> agents, DateTimeOffset now)
    {
        var loads = agents.ToList();
        var result = new List<(string, string?)>();
        // Each assignment is stamped strictly later than every one before it (a tick apart when the clock has not
        // moved), so "assigned longest ago" is a true turn order, inside a batch and across writes at the same instant.
        var last = loads.Max(l => l.LastAssignedAt);
        var at = last is { } l && l >= now ? l.AddTicks(1) : now;
        foreach (var c in conversations)
        {
            var pick = Pick(loads);
            if (pick is null)
            {
                result.Add((c, null));
                continue;
            }
            loads[loads.IndexOf(pick)] = pick.WithOneMore(at);
            at = at.AddTicks(1);
            result.Add((c, pick.Id));
        }
        return (result, loads);
    }

    /// <summary>A group name: 1 to 32 of a-z, 0-9, '-' or '_'.</summary>
    public static bool IsGroup(string? group) =>
        group is { Length: > 0 and <= MaxGroup } && group.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    /// <summary>
    /// DY-D4 / DY-D1: an account may serve a shop's customers as a sub account only if it is a certified enterprise
    /// account in normal status and is not the shop's main account itself.
    /// </summary>
    public static Decision CheckAgent(Account account, string? shopMainAccountId)
    {
        var reasons = new List<Reason>();
        if (account.Status != AccountStatus.Normal)
        {
            reasons.Add(new Reason(RuleCatalog.DelegationParties.Id, "agent_not_normal",
                Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = Wire.Name(account.Status) }));
        }
        if (account.Type == AccountType.Personal)
        {
            reasons.Add(new Reason(RuleCatalog.DelegationParties.Id, "agent_not_enterprise", Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["accountId"] = account.Id }));
        }
        if (string.Equals(account.Id, shopMainAccountId, StringComparison.Ordinal))
        {
            reasons.Add(new Reason(SubAccountRule, "agent_is_main_account", Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["accountId"] = account.Id }));
        }
        return Decision.Denied(reasons);
    }
}
