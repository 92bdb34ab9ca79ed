using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>DY-A2: the merchant withdraws a submitted application (not once it is under review); the binding stays.</summary>
public sealed record WithdrawApplication(string Id) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var app = await ApplicationRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        var state = UnbindApplications.CheckTransition(ApplicationAction.Withdraw, app.State);
        if (!state.IsAllowed)
        {
            return ctx.Denied(state);
        }
        var policy = await ApplicationRows.PolicyOf(ctx.Db, ctx.Policies, app.ShopId, ct);
        var files = await ctx.Db.EvidenceFiles.AsNoTracking().Where(f => f.ApplicationId == app.Id).ToListAsync(ct);
        var before = ApplicationRows.Snapshot(app, files);
        app.State = ApplicationState.Withdrawn;
        app.UpdatedAt = ctx.Now;
        app.DecidedAt = ctx.Now;
        app.DecidedBy = ctx.Actor.Name;
        ctx.Record("unbind_application", app.Id, "unbind_application.withdrawn", app.ShopId, null, before, ApplicationRows.Snapshot(app, files));
        ctx.Emit(EventTypes.UnbindApplicationWithdrawn, app.Id, app.ShopId, app.AccountId, ApplicationRows.EventData(app));
        return Result.Ok(UnbindApplicationView.From(app, files, policy, ctx.Now, principal));
    }
}
