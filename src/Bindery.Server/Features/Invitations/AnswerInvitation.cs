using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Bindings;
using Bindery.Server.Features.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Invitations;

/// <summary>
/// TS-I1/TS-I2: the creator accepts or declines an invitation, the merchant cancels it. Accepting re-checks every
/// eligibility and capacity rule, since the world may have changed since the invitation was sent.
/// </summary>
public sealed record AnswerInvitation(string BindingId, BindingAction Action) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var binding = await Lookup.Binding(ctx.Db, principal, BindingId, track: true, ct);
        if (binding is null)
        {
            return Result.NotFound("invitation");
        }
        var mayAct = Action == BindingAction.Cancel ? principal.ActsForShop(binding.ShopId) : principal.ActsForAccount(binding.AccountId);
        if (!mayAct)
        {
            return Action == BindingAction.Cancel
                ? Result.Forbidden("Only the shop that sent the invitation can cancel it.", "只有发出邀请的店铺才能取消邀请。")
                : Result.Forbidden("Only the invited account can accept or decline the invitation.", "只有被邀请的账号才能接受或拒绝邀请。");
        }
        // Z-4: a swap invitation replaces the current official binding if that is still in force.
        var replaced = binding.ReplacesBindingId is { } replacedId && Action == BindingAction.Accept
            ? await ctx.Db.Bindings.SingleOrDefaultAsync(b => b.Id == replacedId && (b.State == BindingState.Active || b.State == BindingState.UnlinkRequested), ct)
            : null;
        var (policy, decision) = await RuleInputs.Decide(ctx, Action, binding, null, ct, replaced);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        var before = Snapshots.Of(binding);
        binding.AnsweredAt = ctx.Now;
        string evt;
        switch (Action)
        {
            case BindingAction.Accept:
                binding.State = BindingState.Active;
                binding.ActivatedAt = ctx.Now;
                evt = EventTypes.InvitationAccepted;
                break;
            case BindingAction.Decline:
                binding.State = BindingState.Declined;
                binding.EndedAt = ctx.Now;
                binding.EndedBy = ctx.Actor.Name;
                binding.EndReason = "invitation_declined";
                evt = EventTypes.InvitationDeclined;
                break;
            default:
                binding.State = BindingState.Cancelled;
                binding.EndedAt = ctx.Now;
                binding.EndedBy = ctx.Actor.Name;
                binding.EndReason = "invitation_cancelled";
                evt = EventTypes.InvitationCancelled;
                break;
        }
        ctx.Record("binding", binding.Id, evt, binding.ShopId, binding.AccountId, before, Snapshots.Of(binding));
        ctx.Emit(evt, binding.Id, binding.ShopId, binding.AccountId,
            new { bindingId = binding.Id, binding.ShopId, binding.AccountId, role = Wire.Name(binding.Role) });
        if (Action == BindingAction.Accept)
        {
            ctx.Emit(EventTypes.BindingActivated, binding.Id, binding.ShopId, binding.AccountId,
                new { bindingId = binding.Id, binding.ShopId, binding.AccountId, role = Wire.Name(binding.Role), binding.ActivatedAt });
            if (replaced is not null)
            {
                // One transaction: the old official binding ends at the very instant the new one starts.
                await LifecycleTransitions.EndOrCancel(ctx, replaced, ctx.Now, BindingEnds.Swapped, ct);
                ctx.Emit(EventTypes.OfficialAccountSwapped, binding.Id, binding.ShopId, binding.AccountId,
                    new { shopId = binding.ShopId, from = replaced.AccountId, to = binding.AccountId, endedBindingId = replaced.Id, bindingId = binding.Id });
            }
            await UpgradeToEnterprise(ctx, binding, policy, ct);
        }
        return Result.Ok(BindingView.From(binding, policy));
    }

    /// <summary>
    /// DY-O3: binding a personal or ordinary enterprise account as the official account of an individual-business or
    /// enterprise shop verifies it as an enterprise account with the shop's qualification documents.
    /// </summary>
    private static async Task UpgradeToEnterprise(WriteContext ctx, BindingRow binding, Policy policy, CancellationToken ct)
    {
        if (policy.EnterpriseUpgrade is not { } upgrade || binding.Role != BindingRole.Official)
        {
            return;
        }
        var shop = await ctx.Db.Shops.AsNoTracking().SingleAsync(s => s.Id == binding.ShopId, ct);
        var account = await ctx.Db.Accounts.SingleAsync(a => a.Id == binding.AccountId, ct);
        if (!upgrade.ShopKinds.Contains(shop.Kind) || !upgrade.AccountTypes.Contains(account.Type))
        {
            return;
        }
        var before = AccountView.From(account);
        account.Type = AccountType.VerifiedEnterprise;
        var after = AccountView.From(account);
        ctx.Record("account", account.Id, "account.upgraded_to_verified_enterprise", shop.Id, account.Id, before, after);
        ctx.Emit(EventTypes.AccountUpgraded, account.Id, shop.Id, account.Id,
            new { accountId = account.Id, from = before.Type, to = after.Type, qualificationOf = shop.Id, bindingId = binding.Id });
    }
}
