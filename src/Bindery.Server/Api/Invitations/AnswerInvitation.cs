using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Invitations;

/// <summary>
/// TS-I1/TS-I2: the creator accepts or declines an invitation, the merchant cancels it. Accepting re-checks every
/// eligibility and capacity rule, since the world may have changed since the invitation was sent.
/// </summary>
public sealed record AnswerInvitation(string BindingId, BindingAction Action) : IWriteCommand
{
    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var binding = await Lookup.Binding(ctx.Db, principal, BindingId, track: true, ct);
        if (binding is null)
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "invitation"));
        }
        var mayAct = Action == BindingAction.Cancel ? principal.ActsForShop(binding.ShopId) : principal.ActsForAccount(binding.AccountId);
        if (!mayAct)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang, Action == BindingAction.Cancel
                ? "Only the shop that sent the invitation can cancel it."
                : "Only the invited account can accept or decline the invitation."));
        }
        var (policy, decision) = await RuleInputs.Decide(ctx, Action, binding, null, ct);
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
                evt = "invitation.accepted";
                break;
            case BindingAction.Decline:
                binding.State = BindingState.Declined;
                binding.EndedAt = ctx.Now;
                binding.EndedBy = ctx.Actor.Name;
                binding.EndReason = "invitation_declined";
                evt = "invitation.declined";
                break;
            default:
                binding.State = BindingState.Cancelled;
                binding.EndedAt = ctx.Now;
                binding.EndedBy = ctx.Actor.Name;
                binding.EndReason = "invitation_cancelled";
                evt = "invitation.cancelled";
                break;
        }
        ctx.Record("binding", binding.Id, evt, binding.ShopId, binding.AccountId, before, Snapshots.Of(binding));
        ctx.Emit(evt, binding.Id, binding.ShopId, binding.AccountId,
            new { bindingId = binding.Id, binding.ShopId, binding.AccountId, role = Wire.Name(binding.Role) });
        if (Action == BindingAction.Accept)
        {
            ctx.Emit("binding.activated", binding.Id, binding.ShopId, binding.AccountId,
                new { bindingId = binding.Id, binding.ShopId, binding.AccountId, role = Wire.Name(binding.Role), binding.ActivatedAt });
        }
        return Outcome.Ok(BindingView.From(binding, policy));
    }
}
