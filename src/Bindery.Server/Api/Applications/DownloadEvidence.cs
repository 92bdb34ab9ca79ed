using Bindery.Persistence;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// DY-A5: an evidence file's bytes, only to the applicant shop's merchant and to reviewers (anyone else: 404), always
/// as an attachment with the sniffed content type and no content sniffing by the browser.
/// </summary>
public static class DownloadEvidence
{
    public static async Task<IResult> Handle(string id, string fileId, HttpContext http, BinderyDb db, ILoggerFactory logs, CancellationToken ct)
    {
        var app = await ApplicationRows.Visible(db, http.Principal(), id, track: false, ct);
        var file = app is null ? null
            : await db.EvidenceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId && f.ApplicationId == app.Id && f.ShopId == app.ShopId, ct);
        if (file is null)
        {
            return Result.NotFound("evidence file").ToHttp();
        }
        var path = EvidenceStore.For(http).FullPath(file.StoragePath);
        if (!File.Exists(path))
        {
            logs.CreateLogger(typeof(DownloadEvidence)).LogError("evidence file {FileId} of application {ApplicationId} is missing at {Path}", file.Id, id, path);
            return Result.Refused("internal_error", "The evidence file is recorded but missing from storage; an operator has been told.", "证明材料已登记，但存储中缺少该文件；已通知运维人员。").ToHttp();
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers["X-Evidence-Sha256"] = file.Sha256;
        return TypedResults.PhysicalFile(path, file.ContentType, file.FileName);
    }
}
