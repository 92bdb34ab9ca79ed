using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Staff;

/// <summary>
/// DY-A4: the reviewers' queue, soonest due first with overdue items flagged, evidence previews (DY-A5) and the
/// decisions (DY-A2), all through the API's queue query and commands. Reviewers and the admin work here.
/// </summary>
public sealed class ReviewModel(BinderyDb db, ILoggerFactory logs) : ConsolePage
{
    public ReviewQueueView Queue { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> ShopNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> Handles { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync() => await Load() ? Page() : NotVisible();

    public async Task<IActionResult> OnGetEvidenceAsync(string id, string fileId)
    {
        if (!CanReview)
        {
            return NotVisible();
        }
        var result = await ApplicationQueries.EvidenceFile(id, fileId, Reader, EvidenceStore.For(HttpContext), logs.CreateLogger<ReviewModel>(), Ct);
        if (Value<EvidenceFileToSend>(result) is not { } file)
        {
            return await Load() ? Page() : NotVisible();
        }
        foreach (var (name, value) in file.Headers)
        {
            Response.Headers[name] = value;
        }
        return PhysicalFile(file.Path, file.ContentType, file.FileName);
    }

    public Task<IActionResult> OnPostStartAsync(string id) => Act(new StartReview(id), "review.started");

    public Task<IActionResult> OnPostApproveAsync(string id) => Act(new DecideApplication(id, ApplicationAction.Approve, null), "review.approved");

    public async Task<IActionResult> OnPostRejectAsync(string id, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > UnbindApplications.MaxReasonText)
        {
            FieldErrors["reject-" + id] = T["review.reject-reason-required"];
            return await Load() ? Page() : NotVisible();
        }
        return await Act(new DecideApplication(id, ApplicationAction.Reject, reason.Trim()), "review.rejected");
    }

    private async Task<IActionResult> Act(IWriteCommand command, string doneKey)
    {
        if (!CanReview)
        {
            return NotVisible();
        }
        var outcome = await Run(command);
        if (outcome.IsSuccess)
        {
            return Done(T[doneKey], "/console/staff/review");
        }
        Problem = Explain(outcome);
        return await Load() ? Page() : NotVisible();
    }

    /// <summary>The review desk is for reviewers and the admin (the API declares the same).</summary>
    public bool CanReview => Me?.Is(PrincipalKind.Reviewer) == true;

    private async Task<bool> Load()
    {
        if (!CanReview)
        {
            return false;
        }
        if (Value<ReviewQueueView>(await ApplicationQueries.ReviewQueue(Reader, Ct)) is not { } queue)
        {
            return false;
        }
        Queue = queue;
        var shops = Queue.Items.Select(i => i.ShopId).Distinct().ToArray();
        var accounts = Queue.Items.Select(i => i.AccountId).Distinct().ToArray();
        ShopNames = await db.Shops.AsNoTracking().Where(s => shops.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, Ct);
        Handles = await db.Accounts.AsNoTracking().Where(a => accounts.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Handle, Ct);
        return true;
    }

    public string EvidenceUrl(string id, string fileId) => $"/console/staff/review?handler=Evidence&id={Uri.EscapeDataString(id)}&fileId={Uri.EscapeDataString(fileId)}";
}
