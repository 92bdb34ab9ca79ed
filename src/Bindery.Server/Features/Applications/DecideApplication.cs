using Bindery.Domain;
using Bindery.Server.Features.Bindings;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

public sealed record RejectInput(string? Reason);

/// <summary>
/// DY-A2: the reviewer approves an application under review, which ends the binding at once (DY-O2; nothing is
/// deleted, DY-L3), or rejects it with a reason, after which the binding stays and a new application may be filed.
/// </summary>
public sealed record DecideApplication(string Id, ApplicationAction Action, string? Reason) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var app = await ApplicationRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        if (!principal.Is(PrincipalKind.Reviewer))
        {
            return Result.Forbidden("Only platform reviewers (reviewers or the admin) approve or reject unbind applications.", "只有平台审核人员（审核员或管理员）才能通过或驳回解绑申请。");
        }
        var state = UnbindApplications.CheckTransition(Action, app.State);
        if (!state.IsAllowed)
        {
            return ctx.Denied(state);
        }
        var binding = await ctx.Db.Bindings.SingleAsync(b => b.Id == app.BindingId, ct);
        if (Action == ApplicationAction.Approve)
        {
            var active = UnbindApplications.CheckBindingStillActive(binding.State);
            if (!active.IsAllowed)
            {
                return ctx.Denied(active);
            }
        }
        var policy = await ApplicationRows.PolicyOf(ctx.Db, ctx.Policies, app.ShopId, ct);
        var files = await ctx.Db.EvidenceFiles.AsNoTracking().Where(f => f.ApplicationId == app.Id).ToListAsync(ct);
        var before = ApplicationRows.Snapshot(app, files);
        app.State = Action == ApplicationAction.Approve ? ApplicationState.Approved : ApplicationState.Rejected;
        app.DecidedAt = ctx.Now;
        app.DecidedBy = ctx.Actor.Name;
        app.DecisionReason = Reason;
        app.UpdatedAt = ctx.Now;
        var evt = Action == ApplicationAction.Approve ? EventTypes.UnbindApplicationApproved : EventTypes.UnbindApplicationRejected;
        ctx.Record("unbind_application", app.Id, evt, app.ShopId, null, before, ApplicationRows.Snapshot(app, files));
        ctx.Emit(evt, app.Id, app.ShopId, app.AccountId, ApplicationRows.EventData(app, new { decidedBy = app.DecidedBy, reason = Reason }));
        if (Action == ApplicationAction.Approve)
        {
            BindingEnds.End(ctx, binding, ctx.Now, ctx.Actor.Name, UnbindApplications.EndReason);
        }
        return Result.Ok(UnbindApplicationView.From(app, files, policy, ctx.Now, principal));
    }
}
