using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// DY-A5 / DY-A3: the merchant adds evidence files (already on disk) to a submitted application; none while it is
/// under review, and never more than the policy's number of files in all.
/// </summary>
public sealed record AddEvidence(string Id, IReadOnlyList<StagedEvidence> Files) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var app = await ApplicationRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        var state = UnbindApplications.CheckTransition(ApplicationAction.AddEvidence, app.State);
        if (!state.IsAllowed)
        {
            return ctx.Denied(state);
        }
        var policy = await ApplicationRows.PolicyOf(ctx.Db, ctx.Policies, app.ShopId, ct);
        if (policy.UnbindApplication is not { } rules)
        {
            return ApplicationRows.NoApplications(policy);
        }
        var existing = await ctx.Db.EvidenceFiles.Where(f => f.ApplicationId == app.Id).ToListAsync(ct);
        var count = UnbindApplications.CheckFileCount(rules.Evidence, existing.Count, Files.Count);
        if (!count.IsAllowed)
        {
            return ApplicationProblems.Invalid(count, "files");
        }
        if (Files.Any(f => !f.StoragePath.StartsWith(app.ShopId + "/", StringComparison.Ordinal)))
        {
            return Result.Conflict("The evidence files were stored for another shop; send them again.", "证明材料已存入另一个店铺，请重新上传。");
        }
        var before = ApplicationRows.Snapshot(app, existing);
        var added = Files.Select(f => f.ToRow(app, ctx)).ToList();
        ctx.Db.EvidenceFiles.AddRange(added);
        app.UpdatedAt = ctx.Now;
        var all = existing.Concat(added).ToList();
        ctx.Record("unbind_application", app.Id, "unbind_application.evidence_added", app.ShopId, null, before, ApplicationRows.Snapshot(app, all));
        ctx.Emit(EventTypes.UnbindApplicationEvidenceAdded, app.Id, app.ShopId, app.AccountId,
            ApplicationRows.EventData(app, new { files = added.Select(f => new { fileId = f.Id, f.Kind, f.Size, f.Sha256 }).ToArray() }));
        return Result.Ok(UnbindApplicationView.From(app, all, policy, ctx.Now, principal));
    }
}
