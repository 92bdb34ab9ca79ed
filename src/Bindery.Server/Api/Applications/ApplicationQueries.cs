using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Api.Shops;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// Reads of unbind applications (DY-A4): the merchant sees state and due date at any time, staff a queue by due date
/// with overdue items flagged. Each read settles due transitions first; <c>overdue</c> itself comes from the clock.
/// </summary>
public static class ApplicationQueries
{
    public static async Task<IResult> Get(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        var principal = http.Principal();
        var app = await ApplicationRows.Visible(db, principal, id, track: false, ct);
        if (app is null)
        {
            return http.NotFound("unbind application");
        }
        var policy = await ApplicationRows.PolicyOf(db, policies, app.ShopId, ct);
        var files = await ApplicationRows.Files(db, id, ct);
        return Outcome.Ok(UnbindApplicationView.From(app, files, policy, clock.GetUtcNow(), principal));
    }

    /// <summary>The shop's applications, newest first; <c>state=open</c> or a comma list of states filters.</summary>
    public static async Task<IResult> ListForShop(string shopId, string? state, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock,
        CancellationToken ct)
    {
        await http.Settle(ct);
        var shop = await ShopEndpoints.Visible(http, db, shopId, ct);
        if (shop is null)
        {
            return http.NotFound("shop");
        }
        var states = new List<ApplicationState>();
        foreach (var s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (s == "open")
            {
                states.AddRange([ApplicationState.Submitted, ApplicationState.UnderReview]);
            }
            else if (Wire.TryParse<ApplicationState>(s, out var parsed))
            {
                states.Add(parsed);
            }
            else
            {
                return http.Invalid("state", $"must be 'open' or one of: {string.Join(", ", Wire.All<ApplicationState>())} (comma-separated)");
            }
        }
        var rows = await db.UnbindApplications.AsNoTracking()
            .Where(a => a.ShopId == shopId && (states.Count == 0 || states.Contains(a.State)))
            .OrderByDescending(a => a.SubmittedAt).ThenBy(a => a.Id)
            .ToListAsync(ct);
        return Outcome.Ok(await Views(db, rows, policies.Get(shop.PolicyId), clock.GetUtcNow(), http.Principal(), ct));
    }

    /// <summary>DY-A4: every open application, soonest due first, each flagged when the clock has passed its due instant.</summary>
    public static async Task<IResult> ReviewQueue(HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        var principal = http.Principal();
        if (!principal.Is(PrincipalKind.Reviewer))
        {
            return Outcome.Problem(Problems.Forbidden(http.Lang(), "The review queue is for platform reviewers (reviewers or the admin).", "审核队列仅供平台审核人员（审核员或管理员）使用。"));
        }
        await http.Settle(ct);
        var now = clock.GetUtcNow();
        var rows = await db.UnbindApplications.AsNoTracking()
            .Where(a => a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview)
            .OrderBy(a => a.DueAt).ThenBy(a => a.SubmittedAt).ThenBy(a => a.Id)
            .ToListAsync(ct);
        var shopPolicies = await db.Shops.AsNoTracking()
            .Where(s => rows.Select(a => a.ShopId).Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.PolicyId, ct);
        var ids = rows.Select(a => a.Id).ToArray();
        var files = (await db.EvidenceFiles.AsNoTracking().Where(f => ids.Contains(f.ApplicationId)).ToListAsync(ct)).ToLookup(f => f.ApplicationId);
        var items = rows.Select(a => UnbindApplicationView.From(a, files[a.Id], policies.Get(shopPolicies[a.ShopId]), now, principal)).ToArray();
        return Outcome.Ok(new ReviewQueueView(now, items.Length, items.Count(i => i.Overdue), items));
    }

    private static async Task<UnbindApplicationView[]> Views(BinderyDb db, List<UnbindApplicationRow> rows, Policy policy, DateTimeOffset now,
        Principal viewer, CancellationToken ct)
    {
        var ids = rows.Select(a => a.Id).ToArray();
        var files = (await db.EvidenceFiles.AsNoTracking().Where(f => ids.Contains(f.ApplicationId)).ToListAsync(ct)).ToLookup(f => f.ApplicationId);
        return rows.Select(a => UnbindApplicationView.From(a, files[a.Id], policy, now, viewer)).ToArray();
    }
}
