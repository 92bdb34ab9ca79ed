using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

public sealed record AgentStatusInput(string? Status);

/// <summary>
/// DY-D5: an agent (or its shop) sets its status. Online: it takes queued conversations of its group, oldest first.
/// Busy: it keeps what it has and receives nothing new. Offline: its open conversations go to the other online agents
/// of the group (fewest open first) or back to the queue, keeping their place by arrival.
/// </summary>
public sealed record SetAgentStatus(string ShopId, string AgentId, AgentStatus Status) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var agent = await ctx.Db.ChatAgents.SingleOrDefaultAsync(a => a.Id == AgentId && a.ShopId == ShopId, ct);
        if (agent is null || !ChatAccess.CanSetStatus(principal, agent))
        {
            return Result.NotFound("chat agent");
        }
        var moved = new List<ConversationRow>();
        if (agent.Status != Status)
        {
            var before = ChatRouter.Snapshot(agent);
            agent.Status = Status;
            agent.StatusChangedAt = ctx.Now;
            ctx.Record("chat_agent", agent.Id, "chat_agent.status_changed", ShopId, agent.AccountId, before, ChatRouter.Snapshot(agent));
            ctx.Emit(EventTypes.ChatAgentStatusChanged, agent.Id, ShopId, agent.AccountId, ChatRouter.Snapshot(agent));
            Dictionary<string, string>? released = null;
            if (Status == AgentStatus.Offline)
            {
                var held = await ctx.Db.Conversations.Where(c => c.AgentId == agent.Id && c.State == ConversationState.Assigned).ToListAsync(ct);
                released = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var c in held)
                {
                    c.State = ConversationState.Queued;
                    c.AgentId = null;
                    c.AssignedAt = null;
                    released[c.Id] = agent.Id;
                }
            }
            if (Status != AgentStatus.Busy)
            {
                moved = await ChatRouter.Rebalance(ctx, ShopId, agent.Group, null, released, ct);
            }
            await ctx.Db.SaveChangesAsync(ct);
        }
        var agents = await ctx.Db.ChatAgents.AsNoTracking().Where(a => a.ShopId == ShopId).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
        var positions = await ChatRouter.QueuePositions(ctx.Db, ShopId, ct);
        var open = (await ChatRouter.OpenCounts(ctx.Db, ShopId, ct)).GetValueOrDefault(agent.Id);
        return Result.Ok(new AgentStatusView(ChatAgentView.From(agent, open),
            moved.Select(c => ConversationView.From(c, c.AgentId is null ? null : agents[c.AgentId], positions.GetValueOrDefault(c.Id))).ToArray()));
    }
}
