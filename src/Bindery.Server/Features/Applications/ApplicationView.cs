using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>The reason as filed, with its labels from the shop's policy (DY-A1).</summary>
public sealed record ApplicationReasonView(string Code, string En, string Zh, string? Text);

/// <summary>The merchant's contact; the phone shows only its last four digits except to the admin (reviewers).</summary>
public sealed record ApplicationContactView(string Name, string Phone);

/// <summary>An evidence file's metadata (DY-A5); the bytes are downloaded from <c>/evidence/{fileId}</c>.</summary>
public sealed record EvidenceFileView(string Id, string Kind, string FileName, string ContentType, long Size, string Sha256,
    DateTimeOffset UploadedAt, string UploadedBy);

/// <summary>DY-A4: the review is expected between these two instants (the ends of the minimum and maximum business day).</summary>
public sealed record ExpectedBetween(DateTimeOffset Earliest, DateTimeOffset Latest);

/// <summary>
/// An unbind application (DY-A1..A5): its state, reason, contact, evidence, due date and whether it is overdue at the
/// service's instant, who it waits on (Z-1) and the reviewer's decision.
/// </summary>
public sealed record UnbindApplicationView(
    string Id, string BindingId, string ShopId, string AccountId, string State,
    ApplicationReasonView Reason, ApplicationContactView Contact, IReadOnlyList<EvidenceFileView> Files,
    DateTimeOffset SubmittedAt, string SubmittedBy, DateTimeOffset UpdatedAt,
    ExpectedBetween ExpectedBetween, DateTimeOffset DueAt, bool Overdue, WaitingOn? WaitingOn,
    DateTimeOffset? ReviewStartedAt, string? Reviewer, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionReason)
{
    public static UnbindApplicationView From(UnbindApplicationRow a, IEnumerable<EvidenceFileRow> files, Policy policy, DateTimeOffset now, Principal viewer)
    {
        var reason = policy.UnbindApplication?.Reason(a.Reason);
        var open = UnbindApplications.IsOpen(a.State);
        return new UnbindApplicationView(a.Id, a.BindingId, a.ShopId, a.AccountId, Wire.Name(a.State),
            new ApplicationReasonView(a.Reason, reason?.En ?? a.Reason, reason?.Zh ?? a.Reason, a.ReasonText),
            new ApplicationContactView(a.ContactName, viewer.IsStaff ? a.ContactPhone : AccountView.MaskPhone(a.ContactPhone)!),
            files.OrderBy(f => f.UploadedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => new EvidenceFileView(f.Id, f.Kind, f.FileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt, f.UploadedBy)).ToArray(),
            a.SubmittedAt, a.SubmittedBy, a.UpdatedAt,
            new ExpectedBetween(a.EarliestDueAt, a.DueAt), a.DueAt, UnbindApplications.IsOverdue(a.State, a.DueAt, now),
            open ? new WaitingOn("staff", a.Reviewer ?? "review_queue", a.DueAt, "flagged_overdue") : null,
            a.ReviewStartedAt, a.Reviewer, a.DecidedAt, a.DecidedBy, a.DecisionReason);
    }
}

/// <summary>DY-A4: the reviewers' queue, soonest due first.</summary>
public sealed record ReviewQueueView(DateTimeOffset AsOf, int Count, int Overdue, IReadOnlyList<UnbindApplicationView> Items);

/// <summary>Loading and showing applications the way every use case needs them.</summary>
public static class ApplicationRows
{
    /// <summary>An application visible to the principal (its shop's merchant or the admin); otherwise null, answered as 404.</summary>
    public static async Task<UnbindApplicationRow?> Visible(BinderyDb db, Principal p, string id, bool track, CancellationToken ct)
    {
        var q = track ? db.UnbindApplications : db.UnbindApplications.AsNoTracking();
        var a = await q.SingleOrDefaultAsync(x => x.Id == id, ct);
        return a is not null && p.ActsForShop(a.ShopId) ? a : null;
    }

    public static Task<List<EvidenceFileRow>> Files(BinderyDb db, string applicationId, CancellationToken ct) =>
        db.EvidenceFiles.AsNoTracking().Where(f => f.ApplicationId == applicationId).ToListAsync(ct);

    public static async Task<Policy> PolicyOf(BinderyDb db, PolicyCatalog policies, string shopId, CancellationToken ct) =>
        policies.Get(await db.Shops.AsNoTracking().Where(s => s.Id == shopId).Select(s => s.PolicyId).SingleAsync(ct));

    /// <summary>409 for a shop whose policy offers no unbind applications (or no longer does).</summary>
    public static Result NoApplications(Policy policy) =>
        Result.Conflict($"The policy '{policy.Id}' offers no unbind applications.", $"规则 '{policy.Id}' 不提供解绑申请。");

    /// <summary>X-1: the before/after image kept in history; the phone is masked there too (history is read by the shop).</summary>
    public static object Snapshot(UnbindApplicationRow a, IEnumerable<EvidenceFileRow> files) => new
    {
        a.Id, a.BindingId, a.ShopId, a.AccountId, state = Wire.Name(a.State), reason = a.Reason, a.ReasonText,
        a.ContactName, contactPhone = AccountView.MaskPhone(a.ContactPhone), a.SubmittedAt, a.UpdatedAt, a.EarliestDueAt, a.DueAt, a.OverdueAt,
        a.ReviewStartedAt, a.Reviewer, a.DecidedAt, a.DecidedBy, a.DecisionReason,
        files = files.OrderBy(f => f.UploadedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => new { f.Id, f.Kind, f.FileName, f.ContentType, f.Size, f.Sha256 }).ToArray(),
    };

    /// <summary>X-2: what every application event carries (no personal data: the account's creator reads these too).</summary>
    public static object EventData(UnbindApplicationRow a, object? extra = null) => new
    {
        applicationId = a.Id, bindingId = a.BindingId, a.ShopId, a.AccountId, state = Wire.Name(a.State), reason = a.Reason, a.DueAt, details = extra,
    };
}
