using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

public sealed record AgentInput(string? AccountId, string? Group, int? Capacity, string? Status);

/// <summary>
/// DY-D4 / DY-D5: the shop registers a sub account as a customer-service agent of one group, with an optional
/// capacity (most open conversations at once) and a status (offline unless given). An agent registered online takes
/// queued conversations of its group at once.
/// </summary>
public sealed record RegisterAgent(string ShopId, string AccountId, string Group, int? Capacity, AgentStatus Status) : IWriteCommand
{
    public const int MaxCapacity = 1000;

    public static (RegisterAgent? Command, FieldErrors Errors) From(string shopId, AgentInput input)
    {
        var e = new FieldErrors();
        e.Id("accountId", input.AccountId, required: true);
        if (!ChatRouting.IsGroup(input.Group))
        {
            e.Add("group", $"is required: 1 to {ChatRouting.MaxGroup} of a-z, 0-9, '-' or '_'");
        }
        if (input.Capacity is < 1 or > MaxCapacity)
        {
            e.Add("capacity", $"must be between 1 and {MaxCapacity} (leave it out for no limit)");
        }
        var status = e.Enum<AgentStatus>("status", input.Status, required: false, AgentStatus.Offline);
        return e.Any ? (null, e) : (new RegisterAgent(shopId, input.AccountId!, input.Group!, input.Capacity, status!.Value), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var shop = ChatAccess.CanManageAgents(principal, ShopId) ? await ctx.Db.Shops.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var account = await ctx.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == AccountId, ct);
        if (account is null)
        {
            return Result.NotFound("account");
        }
        var may = ChatAccess.MayServe(account, shop);
        if (!may.IsAllowed)
        {
            return ctx.Denied(may);
        }
        var existing = await ctx.Db.ChatAgents.AsNoTracking().Where(a => a.ShopId == ShopId && a.AccountId == AccountId).Select(a => a.Id).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            return new RefusedResult("chat_agent_exists", new Say(
                $"The account {AccountId} is already agent {existing} of the shop.", $"账号 {AccountId} 已是店铺的客服 {existing}。"))
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["agentId"] = existing },
            };
        }
        var agent = new ChatAgentRow
        {
            Id = Ids.New("agt"), ShopId = ShopId, AccountId = AccountId, Group = Group, Status = Status, Capacity = Capacity,
            CreatedAt = ctx.Now, CreatedBy = ctx.Actor.Name, StatusChangedAt = ctx.Now,
        };
        ctx.Db.ChatAgents.Add(agent);
        ctx.Record("chat_agent", agent.Id, "chat_agent.registered", ShopId, AccountId, null, ChatRouter.Snapshot(agent));
        ctx.Emit(EventTypes.ChatAgentRegistered, agent.Id, ShopId, AccountId, ChatRouter.Snapshot(agent));
        await ctx.Db.SaveChangesAsync(ct);
        if (Status == AgentStatus.Online)
        {
            await ChatRouter.Rebalance(ctx, ShopId, Group, null, null, ct);
            await ctx.Db.SaveChangesAsync(ct);
        }
        var open = (await ChatRouter.OpenCounts(ctx.Db, ShopId, ct)).GetValueOrDefault(agent.Id);
        return Result.Created(ChatAgentView.From(agent, open), $"/api/v1/shops/{ShopId}/chat-agents/{agent.Id}");
    }
}
