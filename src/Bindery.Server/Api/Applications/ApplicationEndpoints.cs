using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Api.Applications;

/// <summary>DY-A1..A5: unbind applications filed by merchants with evidence and reviewed by platform staff.</summary>
public static class ApplicationEndpoints
{
    public static void MapApplicationEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("Unbind applications");

        // Multipart bodies are read by hand (streamed to disk, limits enforced while reading), so no form binding runs;
        // antiforgery is off because the API authenticates with bearer tokens, never cookies.
        g.MapPost("/bindings/{bindingId}/unbind-applications", EvidenceUploads.File)
            .DisableAntiforgery().WithMetadata(BodyLimit.SetByEndpoint)
            .MultipartForm(withTextFields: true)
            .Requires(Callers.Merchant, Permission.ApplicationsManage).WithName("FileUnbindApplication")
            .WithSummary("The shop files an unbind application: reason, reasonText, contactName, contactPhone and evidence files, each file under its kind as the field name (DY-A1, DY-A5).")
            .Produces<UnbindApplicationView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .ProducesProblem(413).ProducesProblem(415);

        g.MapGet("/unbind-applications/{id}", async (string id, HttpContext http, CancellationToken ct) => (await ApplicationQueries.Get(id, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Reviewer, Permission.ApplicationsManage).WithName("GetUnbindApplication")
            .WithSummary("An unbind application with its state, due date, overdue flag and who it waits on (DY-A4, Z-1).")
            .Produces<UnbindApplicationView>().ProducesProblem(404);

        g.MapGet("/shops/{shopId}/unbind-applications", async (string shopId, string? state, HttpContext http, CancellationToken ct) => (await ApplicationQueries.ListForShop(shopId, state, http.Reader(), ct)).ToHttp())
            .Requires(Callers.Merchant | Callers.Reviewer, Permission.ApplicationsManage).WithName("ListShopUnbindApplications")
            .WithSummary("The shop's unbind applications, newest first; state=open or a comma list filters.")
            .Produces<UnbindApplicationView[]>().ProducesProblem(400).ProducesProblem(404);

        g.MapPatch("/unbind-applications/{id}", (string id, ApplicationPatch body, HttpContext http, CancellationToken ct) =>
                http.Write(new UpdateApplication(id, body.Reason, body.ReasonText, body.ContactName, body.ContactPhone), ct))
            .Requires(Callers.Merchant, Permission.ApplicationsManage).WithName("UpdateUnbindApplication")
            .WithSummary("Correct reason, text or contact while the application is submitted; refused under review (DY-A3).")
            .Produces<UnbindApplicationView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/unbind-applications/{id}/evidence", async (string id, HttpContext http, BinderyDb db, PolicyCatalog policies, CancellationToken ct) =>
                (await EvidenceUploads.AddFiles(id, http, db, policies, ct)).ToHttp())
            .DisableAntiforgery().WithMetadata(BodyLimit.SetByEndpoint)
            .MultipartForm(withTextFields: false)
            .Requires(Callers.Merchant, Permission.ApplicationsManage).WithName("AddUnbindApplicationEvidence")
            .WithSummary("Add evidence files (multipart, field name = kind) while the application is submitted (DY-A3, DY-A5).")
            .Produces<UnbindApplicationView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        g.MapGet("/unbind-applications/{id}/evidence/{fileId}", DownloadEvidence.Handle)
            .Requires(Callers.Merchant | Callers.Reviewer, Permission.ApplicationsManage).WithName("DownloadUnbindApplicationEvidence")
            .WithSummary("An evidence file, as an attachment, to the applicant shop and reviewers only (DY-A5).")
            .Produces(200, contentType: "application/pdf", additionalContentTypes: ["image/jpeg", "image/png"]).ProducesProblem(404);

        g.MapPost("/unbind-applications/{id}/withdraw", (string id, HttpContext http, CancellationToken ct) => http.Write(new WithdrawApplication(id), ct))
            .Requires(Callers.Merchant, Permission.ApplicationsManage).WithName("WithdrawUnbindApplication")
            .WithSummary("The shop withdraws a submitted application; the binding stays (DY-A2).")
            .Produces<UnbindApplicationView>().ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/review-queue", async (HttpContext http, CancellationToken ct) => (await ApplicationQueries.ReviewQueue(http.Reader(), ct)).ToHttp())
            .Requires(Callers.Reviewer).WithName("GetReviewQueue")
            .WithSummary("Open unbind applications, soonest due first, overdue ones flagged (reviewers: admin token; DY-A4).")
            .Produces<ReviewQueueView>().ProducesProblem(403);

        g.MapPost("/unbind-applications/{id}/start-review", (string id, HttpContext http, CancellationToken ct) => http.Write(new StartReview(id), ct))
            .Requires(Callers.Reviewer).WithName("StartUnbindApplicationReview")
            .WithSummary("A reviewer takes a submitted application into review; it is frozen from now on (admin; DY-A2, DY-A3).")
            .Produces<UnbindApplicationView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/unbind-applications/{id}/approve", (string id, HttpContext http, CancellationToken ct) =>
                http.Write(new DecideApplication(id, ApplicationAction.Approve, null), ct))
            .Requires(Callers.Reviewer).WithName("ApproveUnbindApplication")
            .WithSummary("A reviewer approves: the binding ends at once, its history kept (admin; DY-A2, DY-O2, DY-L3).")
            .Produces<UnbindApplicationView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/unbind-applications/{id}/reject", (string id, RejectInput body, HttpContext http, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > UnbindApplications.MaxReasonText)
                {
                    return Task.FromResult(http.Invalid("reason", $"is required: the reviewer's reason, 1 to {UnbindApplications.MaxReasonText} characters (DY-A2)"));
                }
                return http.Write(new DecideApplication(id, ApplicationAction.Reject, body.Reason.Trim()), ct);
            })
            .Requires(Callers.Reviewer).WithName("RejectUnbindApplication")
            .WithSummary("A reviewer rejects with a reason: the binding stays and a new application may be filed (admin; DY-A2).")
            .Produces<UnbindApplicationView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }
}
