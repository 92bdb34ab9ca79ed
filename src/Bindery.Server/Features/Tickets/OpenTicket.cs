using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Tickets;

/// <summary>
/// A ticket about a pending invitation (bindingId) or about an invitation the rules refused (accountId or handle,
/// and role), with the merchant's first message.
/// </summary>
public sealed record TicketInput(string? BindingId, string? AccountId, string? Handle, string? Role, string? Message);

/// <summary>
/// X-3: the merchant opens a support ticket linked to an invitation of its shop that still waits (TS-I3) or that the
/// rules refused (TS-E7). The ticket shows what blocks it, computed as <c>POST /checks</c> would; it waits on support
/// until the policy's response target (Z-1). One open ticket per shop and account.
/// </summary>
public sealed record OpenTicket(string ShopId, string? BindingId, string? AccountId, string? Handle, BindingRole? Role, string Message) : IWriteCommand
{
    public static (OpenTicket? Command, FieldErrors Errors) From(string shopId, TicketInput input)
    {
        var e = new FieldErrors();
        BindingRole? role = null;
        if (input.BindingId is not null)
        {
            e.Id("bindingId", input.BindingId, required: true);
            if (input.AccountId is not null || input.Handle is not null || input.Role is not null)
            {
                e.Add("bindingId", "give either bindingId (a pending invitation) or accountId/handle with role (a refused invitation), not both");
            }
        }
        else
        {
            if ((input.AccountId is null) == (input.Handle is null))
            {
                e.Add("accountId", "give bindingId (a pending invitation), or exactly one of accountId or handle with role (a refused invitation)");
            }
            e.Id("accountId", input.AccountId, required: false);
            role = e.Enum<BindingRole>("role", input.Role, required: true);
        }
        if (TicketRows.CheckText(input.Message, SupportTickets.MaxMessage) is { } bad)
        {
            e.Add("message", bad);
        }
        return e.Any ? (null, e) : (new OpenTicket(shopId, input.BindingId, input.AccountId, input.Handle, role, input.Message!.Trim()), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var shop = TicketAccess.CanOpen(principal, ShopId) ? await ctx.Db.Shops.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        if (ctx.Policies.Get(shop.PolicyId).Support is not { } support)
        {
            return Result.Refused("support_not_offered", $"The policy '{shop.PolicyId}' offers no support tickets.", $"规则 '{shop.PolicyId}' 不提供客服工单。");
        }
        BindingRow? binding = null;
        AccountRow? account;
        BindingRole role;
        if (BindingId is not null)
        {
            // Only an invitation of this shop; any other binding does not exist for the caller.
            binding = await ctx.Db.Bindings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == BindingId && b.ShopId == ShopId, ct);
            if (binding is null)
            {
                return Result.NotFound("invitation");
            }
            if (binding.State != BindingState.Invited)
            {
                return Result.Refused("binding_not_pending", $"The invitation {binding.Id} is {Words.Value("state", Wire.Name(binding.State), Language.En)}. Open a ticket about an invitation that still waits, or about a refused one with accountId and role.", $"邀请 {binding.Id} 当前为{Words.Value("state", Wire.Name(binding.State), Language.ZhCn)}状态。请针对仍在等待的邀请提交工单，或用 accountId 和 role 针对被拒绝的邀请提交。");
            }
            account = await ctx.Db.Accounts.AsNoTracking().SingleAsync(a => a.Id == binding.AccountId, ct);
            role = binding.Role;
        }
        else
        {
            account = await Lookup.Account(ctx.Db, AccountId, Handle, ct);
            if (account is null)
            {
                return Result.NotFound("account");
            }
            role = Role!.Value;
            var blocking = await TicketBlocking.Decide(ctx.Db, ctx.Policies, shop, account, role, null, ctx.Now, ct);
            if (blocking.IsAllowed)
            {
                return Result.Refused("nothing_blocks", $"Nothing blocks inviting {account.Id} as {Words.Value("role", Wire.Name(role), Language.En)} account now (your network country aside): send the invitation; a ticket is for a refused one.", $"当前没有规则阻止将 {account.Id} 邀请为{Words.Value("role", Wire.Name(role), Language.ZhCn)}账号（网络所在国家除外）：请直接发送邀请；工单只针对被拒绝的邀请。");
            }
        }
        var open = await ctx.Db.SupportTickets.AsNoTracking()
            .Where(t => t.ShopId == ShopId && t.AccountId == account.Id && t.State != TicketState.Closed)
            .Select(t => t.Id).FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            return new RefusedResult("ticket_already_open", new Say(
                $"Ticket {open} about {account.Id} is still open; add a message to it instead.", $"关于 {account.Id} 的工单 {open} 仍在处理中，请在该工单中补充留言。"))
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["ticketId"] = open },
            };
        }
        var ticket = new SupportTicketRow
        {
            Id = Ids.New("tkt"),
            ShopId = ShopId,
            Subject = binding is null ? TicketSubject.RefusedInvitation : TicketSubject.PendingInvitation,
            BindingId = binding?.Id,
            AccountId = account.Id,
            Role = role,
            State = TicketState.Open,
            OpenedAt = ctx.Now,
            OpenedBy = ctx.Actor.Name,
            UpdatedAt = ctx.Now,
            DueAt = SupportTickets.DueAt(TicketState.Open, ctx.Now, support),
        };
        ctx.Db.SupportTickets.Add(ticket);
        ctx.Db.TicketMessages.Add(new TicketMessageRow
        {
            TicketId = ticket.Id, At = ctx.Now, Author = ctx.Actor.Name, AuthorRole = TicketAccess.RoleOf(principal), Body = Message,
        });
        // Ticket history and events are the shop's and support's: the account's creator does not read the merchant's requests.
        ctx.Record("support_ticket", ticket.Id, "support_ticket.opened", ShopId, null, null, TicketRows.Snapshot(ticket));
        ctx.Emit(EventTypes.SupportTicketOpened, ticket.Id, ShopId, null, TicketRows.EventData(ticket));
        await ctx.Db.SaveChangesAsync(ct);
        var view = await TicketRows.View(ctx.Db, ctx.Policies, ticket, ctx.Now, ctx.Lang, principal, ct);
        return Result.Created(view, $"/api/v1/tickets/{ticket.Id}");
    }
}
