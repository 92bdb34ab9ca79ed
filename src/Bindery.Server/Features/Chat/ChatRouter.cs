using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

/// <summary>
/// DY-D5 inside a write: places every queued conversation of a shop's group, oldest first, on the online agents with
/// the fewest open conversations (<see cref="ChatRouting.Distribute"/>). It runs in the write pipeline's single
/// writer, so two conversations arriving together never read the same loads (ADR 0003, ADR 0014).
/// </summary>
public static class ChatRouter
{
    /// <summary>
    /// Rebalances the group: <paramref name="incoming"/> (new, queued) and every queued conversation are assigned while
    /// an agent can take them. <paramref name="releasedFrom"/> maps conversations just taken from an agent going
    /// offline to that agent. Records history and events for each conversation that moved; returns them.
    /// </summary>
    public static async Task<List<ConversationRow>> Rebalance(WriteContext ctx, string shopId, string group, ConversationRow? incoming,
        IReadOnlyDictionary<string, string>? releasedFrom, CancellationToken ct)
    {
        // Tracked queries return the tracked instances, so changes made earlier in this write (a status, a release) count.
        var agents = await ctx.Db.ChatAgents.Where(a => a.ShopId == shopId && a.Group == group).ToListAsync(ct);
        var open = await ctx.Db.Conversations
            .Where(c => c.ShopId == shopId && c.Group == group && c.State != ConversationState.Closed).ToListAsync(ct);
        if (incoming is not null)
        {
            open.Add(incoming);
        }
        var loads = agents.Select(a => new AgentLoad(a.Id, a.Status,
            open.Count(c => c.State == ConversationState.Assigned && c.AgentId == a.Id), a.Capacity, a.LastAssignedAt)).ToList();
        var queue = open.Where(c => c.State == ConversationState.Queued).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var (assignments, after) = ChatRouting.Distribute(queue.Select(c => c.Id), loads, ctx.Now);
        var byId = agents.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var load in after)
        {
            byId[load.Id].LastAssignedAt = load.LastAssignedAt;
        }
        var moved = new List<ConversationRow>();
        var conversations = queue.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var (id, agentId) in assignments)
        {
            var c = conversations[id];
            var from = releasedFrom?.GetValueOrDefault(id);
            var isNew = ReferenceEquals(c, incoming);
            if (agentId is null)
            {
                // Still queued: only news for a new conversation or one just taken from an agent.
                if (isNew || from is not null)
                {
                    Announce(ctx, c, null, from, isNew ? EventTypes.ConversationQueued : EventTypes.ConversationRequeued);
                    moved.Add(c);
                }
                continue;
            }
            var before = Snapshot(c);
            c.State = ConversationState.Assigned;
            c.AgentId = agentId;
            c.AssignedAt = ctx.Now;
            if (from is not null)
            {
                c.Reassignments++;
            }
            Announce(ctx, c, byId[agentId], from, from is not null ? EventTypes.ConversationReassigned : EventTypes.ConversationAssigned, isNew ? null : before);
            moved.Add(c);
        }
        return moved;
    }

    private static void Announce(WriteContext ctx, ConversationRow c, ChatAgentRow? agent, string? fromAgent, string action, object? before = null)
    {
        ctx.Record("conversation", c.Id, action, c.ShopId, agent?.AccountId, before, Snapshot(c));
        ctx.Emit(action, c.Id, c.ShopId, agent?.AccountId, new
        {
            conversationId = c.Id, c.ShopId, c.Group, state = Wire.Name(c.State), agentId = c.AgentId, agentAccountId = agent?.AccountId, fromAgentId = fromAgent,
        });
    }

    public static object Snapshot(ConversationRow c) => new
    {
        c.Id, c.ShopId, c.CustomerRef, c.Group, state = Wire.Name(c.State), c.AgentId, c.CreatedAt, c.AssignedAt, c.Reassignments, c.ClosedAt, c.ClosedBy,
    };

    public static object Snapshot(ChatAgentRow a) => new
    {
        a.Id, a.ShopId, a.AccountId, a.Group, status = Wire.Name(a.Status), a.Capacity, a.StatusChangedAt,
    };

    /// <summary>The open conversations per agent of a shop, as stored (use after the write's changes are saved).</summary>
    public static async Task<Dictionary<string, int>> OpenCounts(BinderyDb db, string shopId, CancellationToken ct) =>
        await db.Conversations.AsNoTracking()
            .Where(c => c.ShopId == shopId && c.State == ConversationState.Assigned && c.AgentId != null)
            .GroupBy(c => c.AgentId!).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, StringComparer.Ordinal, ct);

    /// <summary>1-based place of each queued conversation in its group's queue, oldest first.</summary>
    public static async Task<Dictionary<string, int>> QueuePositions(BinderyDb db, string shopId, CancellationToken ct)
    {
        var queued = await db.Conversations.AsNoTracking()
            .Where(c => c.ShopId == shopId && c.State == ConversationState.Queued)
            .Select(c => new { c.Id, c.Group, c.CreatedAt }).ToListAsync(ct);
        return queued.GroupBy(c => c.Group, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select((c, i) => (c.Id, Position: i + 1)))
            .ToDictionary(x => x.Id, x => x.Position, StringComparer.Ordinal);
    }
}
