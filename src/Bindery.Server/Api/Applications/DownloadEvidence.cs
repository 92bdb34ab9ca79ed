using Bindery.Server.Features.Applications;
using Bindery.Server.Http;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// DY-A5: an evidence file's bytes, only to the applicant shop's merchant and to reviewers (anyone else: 404), always
/// as an attachment with the sniffed content type and no content sniffing by the browser.
/// </summary>
public static class DownloadEvidence
{
    public static async Task<IResult> Handle(string id, string fileId, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        var result = await ApplicationQueries.EvidenceFile(id, fileId, http.Reader(), EvidenceStore.For(http), logs.CreateLogger(typeof(DownloadEvidence)), ct);
        if (result is not ValueResult { Value: EvidenceFileToSend file })
        {
            return result.ToHttp();
        }
        foreach (var (name, value) in file.Headers)
        {
            http.Response.Headers[name] = value;
        }
        return TypedResults.PhysicalFile(file.Path, file.ContentType, file.FileName);
    }
}
