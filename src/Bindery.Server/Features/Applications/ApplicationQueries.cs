using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Shops;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// Reads of unbind applications (DY-A4): the merchant sees state and due date at any time, staff a queue by due date
/// with overdue items flagged. Each read settles due transitions first; <c>overdue</c> itself comes from the clock.
/// </summary>
public static class ApplicationQueries
{
    public static async Task<Result> Get(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var principal = q.Viewer;
        var app = await ApplicationRows.Visible(q.Db, principal, id, track: false, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        var policy = await ApplicationRows.PolicyOf(q.Db, q.Policies, app.ShopId, ct);
        var files = await ApplicationRows.Files(q.Db, id, ct);
        return Result.Ok(UnbindApplicationView.From(app, files, policy, q.Now, principal));
    }

    /// <summary>The shop's applications, newest first; <c>state=open</c> or a comma list of states filters.</summary>
    public static async Task<Result> ListForShop(string shopId, string? state, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var shop = await ShopQueries.Visible(q, shopId, ct);
        if (shop is null)
        {
            return Result.NotFound("shop");
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
                return Result.Invalid("state", $"must be 'open' or one of: {string.Join(", ", Wire.All<ApplicationState>())} (comma-separated)");
            }
        }
        var rows = await q.Db.UnbindApplications.AsNoTracking()
            .Where(a => a.ShopId == shopId && (states.Count == 0 || states.Contains(a.State)))
            .OrderByDescending(a => a.SubmittedAt).ThenBy(a => a.Id)
            .ToListAsync(ct);
        return Result.Ok(await Views(q.Db, rows, q.Policies.Get(shop.PolicyId), q.Now, q.Viewer, ct));
    }

    /// <summary>DY-A4: every open application, soonest due first, each flagged when the clock has passed its due instant.</summary>
    public static async Task<Result> ReviewQueue(ReadContext q, CancellationToken ct)
    {
        var principal = q.Viewer;
        if (!principal.Is(PrincipalKind.Reviewer))
        {
            return Result.Forbidden("The review queue is for platform reviewers (reviewers or the admin).", "审核队列仅供平台审核人员（审核员或管理员）使用。");
        }
        await q.Settle(ct);
        var now = q.Now;
        var rows = await q.Db.UnbindApplications.AsNoTracking()
            .Where(a => a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview)
            .OrderBy(a => a.DueAt).ThenBy(a => a.SubmittedAt).ThenBy(a => a.Id)
            .ToListAsync(ct);
        var shopPolicies = await q.Db.Shops.AsNoTracking()
            .Where(s => rows.Select(a => a.ShopId).Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.PolicyId, ct);
        var ids = rows.Select(a => a.Id).ToArray();
        var files = (await q.Db.EvidenceFiles.AsNoTracking().Where(f => ids.Contains(f.ApplicationId)).ToListAsync(ct)).ToLookup(f => f.ApplicationId);
        var items = rows.Select(a => UnbindApplicationView.From(a, files[a.Id], q.Policies.Get(shopPolicies[a.ShopId]), now, principal)).ToArray();
        return Result.Ok(new ReviewQueueView(now, items.Length, items.Count(i => i.Overdue), items));
    }

    /// <summary>
    /// DY-A5: an evidence file to send, only to the applicant shop's merchant and to reviewers (anyone else: not
    /// found); a file recorded but missing from storage is an internal error, logged for the operator.
    /// </summary>
    public static async Task<Result> EvidenceFile(string id, string fileId, ReadContext q, EvidenceStore store, ILogger log, CancellationToken ct)
    {
        var app = await ApplicationRows.Visible(q.Db, q.Viewer, id, track: false, ct);
        var file = app is null ? null
            : await q.Db.EvidenceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId && f.ApplicationId == app.Id && f.ShopId == app.ShopId, ct);
        if (file is null)
        {
            return Result.NotFound("evidence file");
        }
        var path = store.FullPath(file.StoragePath);
        if (!File.Exists(path))
        {
            log.LogError("evidence file {FileId} of application {ApplicationId} is missing at {Path}", file.Id, id, path);
            return Result.Refused("internal_error", "The evidence file is recorded but missing from storage; an operator has been told.",
                "证明材料已登记，但存储中缺少该文件；已通知运维人员。");
        }
        return Result.Ok(new EvidenceFileToSend(path, file.ContentType, file.FileName, file.Sha256));
    }

    private static async Task<UnbindApplicationView[]> Views(BinderyDb db, List<UnbindApplicationRow> rows, Policy policy, DateTimeOffset now,
        Principal viewer, CancellationToken ct)
    {
        var ids = rows.Select(a => a.Id).ToArray();
        var files = (await db.EvidenceFiles.AsNoTracking().Where(f => ids.Contains(f.ApplicationId)).ToListAsync(ct)).ToLookup(f => f.ApplicationId);
        return rows.Select(a => UnbindApplicationView.From(a, files[a.Id], policy, now, viewer)).ToArray();
    }
}

/// <summary>An evidence file to send as an attachment: where it lies, its sniffed content type, its name and digest.</summary>
public sealed record EvidenceFileToSend(string Path, string ContentType, string FileName, string Sha256)
{
    /// <summary>The headers every copy is sent with: no content sniffing by the browser, no caching, the digest.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers =>
    [
        new("X-Content-Type-Options", "nosniff"), new("Cache-Control", "private, no-store"), new("X-Evidence-Sha256", Sha256),
    ];
}
