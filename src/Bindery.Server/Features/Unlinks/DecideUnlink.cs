using Bindery.Domain;
using Bindery.Server.Features.Bindings;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Unlinks;

public sealed record UnlinkDecisionInput(string? Note);

/// <summary>TS-U1: the shop approves (the binding ends at once, TS-U2/TS-U3) or rejects (it stays active) an unlink request.</summary>
public sealed record DecideUnlink(string UnlinkRequestId, BindingAction Action, string? Note) : IWriteCommand
{
    /// <summary>The request's own limits, shared by the single and the bulk endpoint.</summary>
    public static (DecideUnlink? Command, FieldErrors Errors) From(string? unlinkRequestId, BindingAction action, string? note)
    {
        var e = new FieldErrors();
        e.Id("unlinkRequestId", unlinkRequestId, required: true);
        if (note is { Length: > 500 })
        {
            e.Add("note", "at most 500 characters");
        }
        return e.Any ? (null, e) : (new DecideUnlink(unlinkRequestId!, action, note), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var request = await Lookup.Unlink(ctx.Db, principal, UnlinkRequestId, track: true, ct);
        if (request is null)
        {
            return Result.NotFound("unlink request");
        }
        if (!principal.ActsForShop(request.ShopId))
        {
            return Result.Forbidden("Only the shop approves or rejects an unlink request.", "只有店铺才能同意或拒绝解绑申请。");
        }
        var binding = await ctx.Db.Bindings.SingleAsync(b => b.Id == request.BindingId, ct);
        var (policy, decision) = await RuleInputs.Decide(ctx, Action, binding, request, ct);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        var before = Snapshots.Of(request);
        request.DecidedAt = ctx.Now;
        request.DecidedBy = ctx.Actor.Name;
        request.DecisionNote = Note;
        if (Action == BindingAction.ApproveUnlink)
        {
            request.State = UnlinkState.Approved;
            ctx.Record("unlink_request", request.Id, "unlink_request.approved", request.ShopId, request.AccountId, before, Snapshots.Of(request));
            ctx.Emit(EventTypes.UnlinkRequestApproved, request.Id, request.ShopId, request.AccountId, new { unlinkRequestId = request.Id, bindingId = binding.Id });
            BindingEnds.End(ctx, binding, ctx.Now, ctx.Actor.Name, BindingEnds.UnlinkApproved);
        }
        else
        {
            request.State = UnlinkState.Rejected;
            var bindingBefore = Snapshots.Of(binding);
            binding.State = BindingState.Active;
            ctx.Record("unlink_request", request.Id, "unlink_request.rejected", request.ShopId, request.AccountId, before, Snapshots.Of(request));
            ctx.Record("binding", binding.Id, "binding.unlink_rejected", binding.ShopId, binding.AccountId, bindingBefore, Snapshots.Of(binding));
            ctx.Emit(EventTypes.UnlinkRequestRejected, request.Id, request.ShopId, request.AccountId, new { unlinkRequestId = request.Id, bindingId = binding.Id, note = Note });
        }
        return Result.Ok(UnlinkRequestView.From(request));
    }
}
