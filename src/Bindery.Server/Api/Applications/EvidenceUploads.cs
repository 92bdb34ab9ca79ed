using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// The HTTP side of evidence (DY-A5): the multipart body is streamed to disk by <see cref="EvidenceFormReader"/>
/// outside the write gate, then the command runs; files of a refused or failed command are removed again.
/// </summary>
public static class EvidenceUploads
{
    /// <summary>DY-A1: decide first, then stream the form and file the application.</summary>
    public static async Task<IResult> File(string bindingId, HttpContext http, CancellationToken ct) =>
        (await FileApplication.FileWith(bindingId, http.Reader(), EvidenceStore.For(http),
            (store, shopId, evidence) => EvidenceFormReader.Read(http, store, shopId, evidence, 0, FileApplication.TextFields, ct),
            c => http.Send(c, ct), ct)).ToHttp();

    /// <summary>The HTTP side: refuse a frozen application before reading the upload, stream the files, run the command.</summary>
    public static async Task<Result> AddFiles(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, CancellationToken ct)
    {
        var principal = http.Principal();
        var app = await ApplicationRows.Visible(db, principal, id, track: false, ct);
        if (app is null)
        {
            return Result.NotFound("unbind application");
        }
        var state = UnbindApplications.CheckTransition(ApplicationAction.AddEvidence, app.State);
        if (!state.IsAllowed)
        {
            return Result.Denied(state);
        }
        var policy = await ApplicationRows.PolicyOf(db, policies, app.ShopId, ct);
        if (policy.UnbindApplication is not { } rules)
        {
            return ApplicationRows.NoApplications(policy);
        }
        var attached = await db.EvidenceFiles.CountAsync(f => f.ApplicationId == id, ct);
        var store = EvidenceStore.For(http);
        var (form, problem) = await EvidenceFormReader.Read(http, store, app.ShopId, rules.Evidence, attached,
            new HashSet<string>(StringComparer.Ordinal), ct);
        if (form is null)
        {
            return problem!;
        }
        if (form.Files.Count == 0)
        {
            return Result.Invalid("files", "send at least one file, each under its evidence kind as the form field name");
        }
        return await StagedEvidenceRows.WriteKeepingFiles(c => http.Send(c, ct), new AddEvidence(id, form.Files), store, form.Files);
    }
}
