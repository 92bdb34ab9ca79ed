using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>DY-A2 / DY-A3: a reviewer (admin token) takes a submitted application into review; from now on it is frozen.</summary>
public sealed record StartReview(string Id) : IWriteCommand
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
            return Result.Forbidden("Only platform reviewers (reviewers or the admin) review unbind applications.", "只有平台审核人员（审核员或管理员）才能审核解绑申请。");
        }
        var state = UnbindApplications.CheckTransition(ApplicationAction.StartReview, app.State);
        if (!state.IsAllowed)
        {
            return ctx.Denied(state);
        }
        var policy = await ApplicationRows.PolicyOf(ctx.Db, ctx.Policies, app.ShopId, ct);
        var files = await ctx.Db.EvidenceFiles.AsNoTracking().Where(f => f.ApplicationId == app.Id).ToListAsync(ct);
        var before = ApplicationRows.Snapshot(app, files);
        app.State = ApplicationState.UnderReview;
        app.ReviewStartedAt = ctx.Now;
        app.Reviewer = ctx.Actor.Name;
        app.UpdatedAt = ctx.Now;
        ctx.Record("unbind_application", app.Id, "unbind_application.review_started", app.ShopId, null, before, ApplicationRows.Snapshot(app, files));
        ctx.Emit(EventTypes.UnbindApplicationReviewStarted, app.Id, app.ShopId, app.AccountId, ApplicationRows.EventData(app, new { reviewer = app.Reviewer }));
        return Result.Ok(UnbindApplicationView.From(app, files, policy, ctx.Now, principal));
    }
}
