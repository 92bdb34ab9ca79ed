using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Invitations;

/// <summary>Invite an account by id or by handle (one of the two).</summary>
public sealed record InviteInput(string? AccountId, string? Handle, string? Role);

/// <summary>
/// TS-I1: the merchant invites an account as official or channel; every eligibility and quota rule is checked.
/// With <see cref="Swap"/> (Z-4) the invitation replaces the shop's current official account: when accepted, the
/// current binding ends and the new one starts in the same transaction, so the shop is never without one.
/// </summary>
public sealed record Invite(string ShopId, string? AccountId, string? Handle, BindingRole Role, bool Swap = false) : IWriteCommand
{
    public static (Invite? Command, FieldErrors Errors) From(string shopId, InviteInput input)
    {
        var e = new FieldErrors();
        var role = e.Enum<BindingRole>("role", input.Role, required: true);
        if ((input.AccountId is null) == (input.Handle is null))
        {
            e.Add("accountId", "give exactly one of accountId or handle");
        }
        return e.Any ? (null, e) : (new Invite(shopId, input.AccountId, input.Handle, role!.Value), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var shop = principal.ActsForShop(ShopId) ? await HotQueries.ShopById(ctx.Db, ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var account = await Lookup.Account(ctx.Db, AccountId, Handle, ct);
        if (account is null)
        {
            return Result.NotFound("account");
        }
        var policy = ctx.Policies.Get(shop.PolicyId);
        BindingRow? current = null;
        if (Swap)
        {
            current = await RuleInputs.CurrentOfficial(ctx.Db, shop.Id, track: false, ct);
            if (current is null)
            {
                return Result.Refused("no_official_account", "The shop has no official account to replace; invite one instead.", "店铺没有可替换的官方账号，请直接邀请一个。");
            }
        }
        var input = await RuleInputs.For(ctx.Db, new RuleQuery(shop, account, Role, policy, ctx.Now) { CallerCountry = ctx.Actor.CallerCountry, Replacing = current }, ct);
        var decision = Rules.Decide(BindingAction.Invite, input, policy, ctx.Now);
        BinderyMetrics.Decision(BindingAction.Invite, "write", decision);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        var row = new BindingRow
        {
            Id = Ids.New("bnd"),
            ShopId = shop.Id,
            AccountId = account.Id,
            Role = Role,
            State = BindingState.Invited,
            InvitedAt = ctx.Now,
            InvitedBy = ctx.Actor.Name,
            ExpiresAt = ctx.Now + policy.InvitationTtl,
            ReplacesBindingId = current?.Id,
        };
        ctx.Db.Bindings.Add(row);
        ctx.Record("binding", row.Id, "invitation.sent", row.ShopId, row.AccountId, null, Snapshots.Of(row));
        ctx.Emit(EventTypes.InvitationSent, row.Id, row.ShopId, row.AccountId,
            new { bindingId = row.Id, row.ShopId, row.AccountId, role = Wire.Name(Role), row.ExpiresAt, replacesBindingId = row.ReplacesBindingId });
        ctx.DueAt(row.ExpiresAt);
        return Result.Created(BindingView.From(row, policy), $"/api/v1/invitations/{row.Id}");
    }
}
