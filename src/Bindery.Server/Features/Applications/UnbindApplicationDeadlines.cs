using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// DY-A4: an open application still waiting at its due instant is recorded as overdue, once, at that instant (history
/// and an <c>unbind_application.overdue</c> event). Reads show <c>overdue</c> from the clock alone; this records it.
/// </summary>
public static class UnbindApplicationDeadlines
{
    public static async Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct)
    {
        var db = ctx.Db;
        var now = ctx.Now;
        var due = await db.UnbindApplications
            .Where(a => (a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview) && a.OverdueAt == null && a.DueAt <= now)
            .OrderBy(a => a.DueAt)
            .ToListAsync(ct);
        foreach (var a in due)
        {
            var files = await db.EvidenceFiles.AsNoTracking().Where(f => f.ApplicationId == a.Id).ToListAsync(ct);
            var before = ApplicationRows.Snapshot(a, files);
            a.OverdueAt = a.DueAt;
            ctx.Record("unbind_application", a.Id, "unbind_application.overdue", a.ShopId, null, before, ApplicationRows.Snapshot(a, files), at: a.DueAt);
            ctx.Emit(EventTypes.UnbindApplicationOverdue, a.Id, a.ShopId, a.AccountId, ApplicationRows.EventData(a), a.DueAt);
        }
        return await db.UnbindApplications
            .Where(a => (a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview) && a.OverdueAt == null && a.DueAt > now)
            .OrderBy(a => a.DueAt)
            .Select(a => (DateTimeOffset?)a.DueAt)
            .FirstOrDefaultAsync(ct);
    }
}
