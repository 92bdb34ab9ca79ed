using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

/// <summary>
/// DY-D5: the shop or the assigned agent closes a conversation. The agent's load drops, so the oldest queued
/// conversation of the group may go to it (or to another agent below capacity) at once.
/// </summary>
public sealed record CloseConversation(string ShopId, string ConversationId) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var c = await ctx.Db.Conversations.SingleOrDefaultAsync(x => x.Id == ConversationId && x.ShopId == ShopId, ct);
        var agent = c?.AgentId is null ? null : await ctx.Db.ChatAgents.AsNoTracking().SingleAsync(a => a.Id == c.AgentId, ct);
        if (c is null || !ChatAccess.CanClose(principal, c, agent))
        {
            return Result.NotFound("conversation");
        }
        if (c.State == ConversationState.Closed)
        {
            return Result.Conflict($"The conversation {c.Id} was already closed at {c.ClosedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)} by {c.ClosedBy}.", $"会话 {c.Id} 已于 {c.ClosedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)} 由 {c.ClosedBy} 关闭。");
        }
        var before = ChatRouter.Snapshot(c);
        c.State = ConversationState.Closed;
        c.ClosedAt = ctx.Now;
        c.ClosedBy = ctx.Actor.Name;
        ctx.Record("conversation", c.Id, "conversation.closed", ShopId, agent?.AccountId, before, ChatRouter.Snapshot(c));
        ctx.Emit(EventTypes.ConversationClosed, c.Id, ShopId, agent?.AccountId,
            new { conversationId = c.Id, ShopId, c.Group, agentId = c.AgentId, closedBy = c.ClosedBy });
        await ctx.Db.SaveChangesAsync(ct);
        await ChatRouter.Rebalance(ctx, ShopId, c.Group, null, null, ct);
        await ctx.Db.SaveChangesAsync(ct);
        return Result.Ok(ConversationView.From(c, agent));
    }
}
