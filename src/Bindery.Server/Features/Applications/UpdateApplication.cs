using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>Fields to change; a field left out keeps its value ("" clears the reason text).</summary>
public sealed record ApplicationPatch(string? Reason, string? ReasonText, string? ContactName, string? ContactPhone);

/// <summary>
/// DY-A1 / DY-A3: the merchant corrects a submitted application (reason, text, contact). Under review it is frozen.
/// The result must still be a complete filing: a reason whose evidence is not attached yet needs the files first.
/// </summary>
public sealed record UpdateApplication(string Id, string? Reason, string? ReasonText, string? ContactName, string? ContactPhone) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var app = await ApplicationRows.Visible(ctx.Db, principal, Id, track: true, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        var state = UnbindApplications.CheckTransition(ApplicationAction.Edit, app.State);
        if (!state.IsAllowed)
        {
            return ctx.Denied(state);
        }
        var policy = await ApplicationRows.PolicyOf(ctx.Db, ctx.Policies, app.ShopId, ct);
        if (policy.UnbindApplication is not { } rules)
        {
            return ApplicationRows.NoApplications(policy);
        }
        var files = await ctx.Db.EvidenceFiles.Where(f => f.ApplicationId == app.Id).ToListAsync(ct);
        var reason = Reason ?? app.Reason;
        var text = ReasonText is null ? app.ReasonText : ReasonText.Length == 0 ? null : ReasonText;
        var name = ContactName ?? app.ContactName;
        var phone = ContactPhone ?? app.ContactPhone;
        var filing = UnbindApplications.CheckFiling(rules, reason, text, name, phone, files.Select(f => f.Kind));
        if (!filing.IsAllowed)
        {
            return ApplicationProblems.Invalid(filing);
        }
        var before = ApplicationRows.Snapshot(app, files);
        var changed = new List<string>();
        Set(app.Reason, reason, v => app.Reason = v!, "reason");
        Set(app.ReasonText, string.IsNullOrWhiteSpace(text) ? null : text.Trim(), v => app.ReasonText = v, "reasonText");
        Set(app.ContactName, name.Trim(), v => app.ContactName = v!, "contactName");
        Set(app.ContactPhone, phone, v => app.ContactPhone = v!, "contactPhone");
        if (changed.Count > 0)
        {
            app.UpdatedAt = ctx.Now;
            ctx.Record("unbind_application", app.Id, "unbind_application.updated", app.ShopId, null, before, ApplicationRows.Snapshot(app, files));
            ctx.Emit(EventTypes.UnbindApplicationUpdated, app.Id, app.ShopId, app.AccountId, ApplicationRows.EventData(app, new { changed }));
        }
        return Result.Ok(UnbindApplicationView.From(app, files, policy, ctx.Now, principal));

        void Set(string? current, string? next, Action<string?> assign, string field)
        {
            if (!string.Equals(current, next, StringComparison.Ordinal))
            {
                assign(next);
                changed.Add(field);
            }
        }
    }
}
