using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

/// <summary>Reads of customer-chat routing (DY-D5): agents with their loads, conversations with their agent or queue place.</summary>
public static class ChatQueries
{
    public static async Task<Result> Agents(string shopId, string? group, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        if (!await Lookup.ShopExists(q.Db, shopId, ct))
        {
            return Result.NotFound("shop");
        }
        var all = await q.Db.ChatAgents.AsNoTracking().Where(a => a.ShopId == shopId).ToListAsync(ct);
        // The shop sees every agent; an agent sees its fellow agents (to know who is online); anyone else: no such shop.
        if (!ChatAccess.CanSeeAll(principal, shopId) && !all.Any(a => ChatAccess.ActsAsAgent(principal, a)))
        {
            return Result.NotFound("shop");
        }
        var counts = await ChatRouter.OpenCounts(q.Db, shopId, ct);
        return Result.Ok(all.Where(a => group is null || a.Group == group)
            .OrderBy(a => a.Group, StringComparer.Ordinal).ThenBy(a => a.AccountId, StringComparer.Ordinal)
            .Select(a => ChatAgentView.From(a, counts.GetValueOrDefault(a.Id))).ToArray());
    }

    /// <summary>
    /// The shop's conversations, oldest first; state=open (queued and assigned), queued, assigned or closed, and
    /// group and agentId filter. An agent sees only the conversations assigned to it.
    /// </summary>
    public static async Task<Result> Conversations(string shopId, string? state, string? group, string? agentId, int? limit,
        ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        if (!await Lookup.ShopExists(q.Db, shopId, ct))
        {
            return Result.NotFound("shop");
        }
        var agents = await q.Db.ChatAgents.AsNoTracking().Where(a => a.ShopId == shopId).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
        if (!ChatAccess.CanSeeAll(principal, shopId))
        {
            var self = agents.Values.FirstOrDefault(a => ChatAccess.ActsAsAgent(principal, a));
            if (self is null)
            {
                return Result.NotFound("shop");
            }
            if (agentId is not null && agentId != self.Id)
            {
                return Result.Forbidden("An agent sees only its own conversations.", "客服只能查看自己的会话。");
            }
            agentId = self.Id;
        }
        ConversationState[] states = state switch
        {
            null => [ConversationState.Queued, ConversationState.Assigned, ConversationState.Closed],
            "open" => [ConversationState.Queued, ConversationState.Assigned],
            _ when Wire.TryParse<ConversationState>(state, out var s) => [s],
            _ => [],
        };
        if (states.Length == 0)
        {
            return Result.Invalid("state", $"must be open or one of: {string.Join(", ", Wire.All<ConversationState>())}");
        }
        if (limit is < 1 or > 1000)
        {
            return Result.Invalid("limit", "must be between 1 and 1000");
        }
        var rows = await q.Db.Conversations.AsNoTracking()
            .Where(c => c.ShopId == shopId && states.Contains(c.State) && (group == null || c.Group == group) && (agentId == null || c.AgentId == agentId))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(limit ?? 1000).ToListAsync(ct);
        var positions = await ChatRouter.QueuePositions(q.Db, shopId, ct);
        return Result.Ok(rows.Select(c => ConversationView.From(c, c.AgentId is null ? null : agents.GetValueOrDefault(c.AgentId), positions.GetValueOrDefault(c.Id))).ToArray());
    }

    public static async Task<Result> Conversation(string shopId, string conversationId, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        var c = await q.Db.Conversations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == conversationId && x.ShopId == shopId, ct);
        var agent = c?.AgentId is null ? null : await q.Db.ChatAgents.AsNoTracking().SingleAsync(a => a.Id == c.AgentId, ct);
        if (c is null || !(ChatAccess.CanSeeAll(principal, shopId) || (agent is not null && ChatAccess.ActsAsAgent(principal, agent))))
        {
            return Result.NotFound("conversation");
        }
        var positions = c.State == ConversationState.Queued ? await ChatRouter.QueuePositions(q.Db, shopId, ct) : null;
        return Result.Ok(ConversationView.From(c, agent, positions?.GetValueOrDefault(c.Id)));
    }
}
