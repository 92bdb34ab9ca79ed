using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Unlinks;

public sealed record UnlinkInput(string? Reason);

/// <summary>TS-U1: the creator asks to unlink an active binding; TS-Q1/TS-Q2 apply; TS-U4 sets the auto-approval instant.</summary>
public sealed record RequestUnlink(string BindingId, string? Reason) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var binding = await Lookup.Binding(ctx.Db, principal, BindingId, track: true, ct);
        if (binding is null)
        {
            return Result.NotFound("binding");
        }
        if (!principal.ActsForAccount(binding.AccountId))
        {
            return Result.Forbidden("Only the bound account sends an unlink request; the shop approves or rejects it.", "只有已绑定的账号才能发起解绑申请，由店铺同意或拒绝。");
        }
        var (policy, decision) = await RuleInputs.Decide(ctx, BindingAction.RequestUnlink, binding, null, ct);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        var before = Snapshots.Of(binding);
        binding.State = BindingState.UnlinkRequested;
        var request = new UnlinkRequestRow
        {
            Id = Ids.New("ulr"),
            BindingId = binding.Id,
            ShopId = binding.ShopId,
            AccountId = binding.AccountId,
            State = UnlinkState.Pending,
            Reason = Reason,
            RequestedAt = ctx.Now,
            RequestedBy = ctx.Actor.Name,
            AutoApproveAt = ctx.Now + policy.UnlinkAutoApproveAfter,
        };
        ctx.Db.UnlinkRequests.Add(request);
        ctx.Record("binding", binding.Id, "binding.unlink_requested", binding.ShopId, binding.AccountId, before, Snapshots.Of(binding));
        ctx.Record("unlink_request", request.Id, "unlink_request.created", request.ShopId, request.AccountId, null, Snapshots.Of(request));
        ctx.Emit(EventTypes.UnlinkRequestCreated, request.Id, request.ShopId, request.AccountId,
            new { unlinkRequestId = request.Id, bindingId = binding.Id, request.AutoApproveAt, request.Reason });
        ctx.DueAt(request.AutoApproveAt);
        return Result.Created(UnlinkRequestView.From(request), $"/api/v1/unlink-requests/{request.Id}");
    }
}
