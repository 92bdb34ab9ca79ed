using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Chat;

public sealed record ConversationInput(string? CustomerRef, string? Group);

/// <summary>
/// DY-D5: an incoming customer conversation is assigned to an online agent of its group with the fewest open
/// conversations (ties: the one assigned longest ago, then the smallest id), or queued when none can take it.
/// A customer who writes again while a conversation is open joins it (200 with the open conversation).
/// </summary>
public sealed record OpenConversation(string ShopId, string CustomerRef, string Group) : IWriteCommand
{
    public static (OpenConversation? Command, FieldErrors Errors) From(string shopId, ConversationInput input)
    {
        var e = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.CustomerRef) || input.CustomerRef.Length > ChatRouting.MaxCustomerRef || input.CustomerRef.Any(char.IsControl))
        {
            e.Add("customerRef", $"is required: 1 to {ChatRouting.MaxCustomerRef} characters without control characters");
        }
        if (!ChatRouting.IsGroup(input.Group))
        {
            e.Add("group", $"is required: 1 to {ChatRouting.MaxGroup} of a-z, 0-9, '-' or '_'");
        }
        return e.Any ? (null, e) : (new OpenConversation(shopId, input.CustomerRef!.Trim(), input.Group!), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        if (!ChatAccess.CanRoute(principal, ShopId) || !await ctx.Db.Shops.AsNoTracking().AnyAsync(s => s.Id == ShopId, ct))
        {
            return Result.NotFound("shop");
        }
        var existing = await ctx.Db.Conversations.AsNoTracking()
            .SingleOrDefaultAsync(c => c.ShopId == ShopId && c.CustomerRef == CustomerRef && c.State != ConversationState.Closed, ct);
        if (existing is not null)
        {
            return Result.Ok(await View(ctx.Db, existing, ct));
        }
        var groups = await ctx.Db.ChatAgents.AsNoTracking().Where(a => a.ShopId == ShopId).Select(a => a.Group).Distinct().ToListAsync(ct);
        if (!groups.Contains(Group))
        {
            return Result.Refused("chat_group_unknown", $"No agent of the shop serves the group '{Group}'; its groups are: {(groups.Count == 0 ? "(none: register agents first)" : string.Join(", ", groups.Order(StringComparer.Ordinal)))}.", $"店铺没有客服负责分组“{Group}”；现有分组：{(groups.Count == 0 ? "（无，请先登记客服）" : string.Join("、", groups.Order(StringComparer.Ordinal)))}。");
        }
        var conversation = new ConversationRow
        {
            Id = Ids.New("conv"), ShopId = ShopId, CustomerRef = CustomerRef, Group = Group, State = ConversationState.Queued,
            CreatedAt = ctx.Now, CreatedBy = ctx.Actor.Name,
        };
        ctx.Db.Conversations.Add(conversation);
        await ChatRouter.Rebalance(ctx, ShopId, Group, conversation, null, ct);
        await ctx.Db.SaveChangesAsync(ct);
        return Result.Created(await View(ctx.Db, conversation, ct), $"/api/v1/shops/{ShopId}/conversations/{conversation.Id}");
    }

    private static async Task<ConversationView> View(BinderyDb db, ConversationRow c, CancellationToken ct)
    {
        var agent = c.AgentId is null ? null : await db.ChatAgents.AsNoTracking().SingleAsync(a => a.Id == c.AgentId, ct);
        var positions = c.State == ConversationState.Queued ? await ChatRouter.QueuePositions(db, c.ShopId, ct) : null;
        return ConversationView.From(c, agent, positions?.GetValueOrDefault(c.Id));
    }
}
