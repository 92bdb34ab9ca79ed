using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// DY-A1: the shop's merchant files an unbind application for a binding whose role is undone only this way (DY-O2):
/// reason, contact and evidence (already on disk, <see cref="StagedEvidence"/>). DY-A2: one open application per
/// binding. DY-A4: the review is due at the end of the policy's maximum number of business days.
/// </summary>
public sealed record FileApplication(
    string BindingId, string Reason, string? ReasonText, string ContactName, string ContactPhone, IReadOnlyList<StagedEvidence> Files)
    : IWriteCommand
{
    public static readonly IReadOnlySet<string> TextFields = new HashSet<string>(StringComparer.Ordinal) { "reason", "reasonText", "contactName", "contactPhone" };

    /// <summary>
    /// Files an application: decide first (a binding that cannot be undone this way is refused before any upload is
    /// read), then read the form's files to disk outside the write gate (<paramref name="readForm"/>: the API streams the
    /// multipart body, the console hands over the form it has already read), validate the filing and run the command
    /// through <paramref name="send"/>; files of a refused or failed command are removed again.
    /// </summary>
    public static async Task<Result> FileWith(string bindingId, ReadContext q, EvidenceStore store,
        Func<EvidenceStore, string, EvidencePolicy, Task<(EvidenceForm? Form, Result? Problem)>> readForm,
        Func<IWriteCommand, Task<Result>> send, CancellationToken ct)
    {
        var (principal, db) = (q.Viewer, q.Db);
        var binding = await Lookup.Binding(db, principal, bindingId, track: false, ct);
        if (binding is null)
        {
            return Result.NotFound("binding");
        }
        if (!principal.ActsForShop(binding.ShopId))
        {
            return Result.Forbidden("Only the shop's merchant files an unbind application; platform staff review it.", "只有店铺商家才能提交解绑申请，由平台人员审核。");
        }
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == binding.ShopId, ct);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == binding.AccountId, ct);
        var policy = q.Policies.Get(shop.PolicyId);
        var now = q.Now;
        var input = await RuleInputs.For(db, new RuleQuery(shop, account, binding.Role, policy, now) { CallerCountry = q.CallerCountry, Binding = binding }, ct);
        var decision = Rules.Decide(BindingAction.ApplyUnbind, input, policy, now);
        if (!decision.IsAllowed)
        {
            return Result.Denied(decision);
        }
        if (policy.UnbindApplication is not { } rules)
        {
            return ApplicationRows.NoApplications(policy);
        }
        var (form, problem) = await readForm(store, shop.Id, rules.Evidence);
        if (form is null)
        {
            return problem!;
        }
        var filing = UnbindApplications.CheckFiling(rules, form.Field("reason"), form.Field("reasonText"), form.Field("contactName"),
            form.Field("contactPhone"), form.Files.Select(f => f.Kind));
        if (!filing.IsAllowed)
        {
            store.Delete(form.Files);
            return ApplicationProblems.Invalid(filing);
        }
        var command = new FileApplication(bindingId, form.Field("reason")!, form.Field("reasonText"), form.Field("contactName")!,
            form.Field("contactPhone")!, form.Files);
        return await StagedEvidenceRows.WriteKeepingFiles(send, command, store, form.Files);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var binding = await Lookup.Binding(ctx.Db, principal, BindingId, track: true, ct);
        if (binding is null)
        {
            return Result.NotFound("binding");
        }
        if (!principal.ActsForShop(binding.ShopId))
        {
            return Result.Forbidden("Only the shop's merchant files an unbind application; platform staff review it.", "只有店铺商家才能提交解绑申请，由平台人员审核。");
        }
        var (policy, decision) = await RuleInputs.Decide(ctx, BindingAction.ApplyUnbind, binding, null, ct);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        if (policy.UnbindApplication is not { } rules)
        {
            return ApplicationRows.NoApplications(policy);
        }
        var filing = UnbindApplications.CheckFiling(rules, Reason, ReasonText, ContactName, ContactPhone, Files.Select(f => f.Kind));
        if (!filing.IsAllowed)
        {
            return ApplicationProblems.Invalid(filing);
        }
        var count = UnbindApplications.CheckFileCount(rules.Evidence, 0, Files.Count);
        if (!count.IsAllowed)
        {
            return ApplicationProblems.Invalid(count, "files");
        }
        var open = await ctx.Db.UnbindApplications.AsNoTracking()
            .Where(a => a.BindingId == binding.Id && (a.State == ApplicationState.Submitted || a.State == ApplicationState.UnderReview))
            .Select(a => a.Id).FirstOrDefaultAsync(ct);
        var single = UnbindApplications.CheckNoOpenApplication(open);
        if (!single.IsAllowed)
        {
            return ctx.Denied(single);
        }
        if (Files.Any(f => !f.StoragePath.StartsWith(binding.ShopId + "/", StringComparison.Ordinal)))
        {
            // The endpoint stores files under the binding's shop before the command runs; a binding never changes shop.
            return Result.Conflict("The evidence files were stored for another shop; send the form again.", "证明材料已存入另一个店铺，请重新提交表单。");
        }

        var (earliest, due) = UnbindApplications.ReviewWindow(rules, ctx.Now);
        var row = new UnbindApplicationRow
        {
            Id = Ids.New("uba"),
            ShopId = binding.ShopId,
            BindingId = binding.Id,
            AccountId = binding.AccountId,
            Reason = Reason,
            ReasonText = string.IsNullOrWhiteSpace(ReasonText) ? null : ReasonText.Trim(),
            ContactName = ContactName.Trim(),
            ContactPhone = ContactPhone,
            State = ApplicationState.Submitted,
            SubmittedAt = ctx.Now,
            SubmittedBy = ctx.Actor.Name,
            UpdatedAt = ctx.Now,
            EarliestDueAt = earliest,
            DueAt = due,
        };
        var files = Files.Select(f => f.ToRow(row, ctx)).ToList();
        ctx.Db.UnbindApplications.Add(row);
        ctx.Db.EvidenceFiles.AddRange(files);
        ctx.Record("unbind_application", row.Id, "unbind_application.submitted", row.ShopId, null, null, ApplicationRows.Snapshot(row, files));
        ctx.Emit(EventTypes.UnbindApplicationSubmitted, row.Id, row.ShopId, row.AccountId,
            ApplicationRows.EventData(row, new { expectedBetween = new ExpectedBetween(earliest, due), files = files.Count }));
        ctx.DueAt(due);
        return Result.Created(UnbindApplicationView.From(row, files, policy, ctx.Now, principal), $"/api/v1/unbind-applications/{row.Id}");
    }
}

public static class StagedEvidenceRows
{
    /// <summary>Runs a command that records staged files; unless it commits (a fresh success), the files are removed.</summary>
    public static async Task<Result> WriteKeepingFiles(Func<IWriteCommand, Task<Result>> send, IWriteCommand command, EvidenceStore store,
        IReadOnlyList<StagedEvidence> files)
    {
        var kept = false;
        try
        {
            var result = await send(command);
            // A replayed answer (Idempotency-Key) means this request's copies were never recorded.
            kept = result.IsSuccess;
            return result;
        }
        finally
        {
            if (!kept)
            {
                store.Delete(files);
            }
        }
    }

    public static EvidenceFileRow ToRow(this StagedEvidence f, UnbindApplicationRow application, WriteContext ctx) => new()
    {
        Id = f.Id,
        ApplicationId = application.Id,
        ShopId = application.ShopId,
        Kind = f.Kind,
        FileName = f.FileName,
        ContentType = f.ContentType,
        Size = f.Size,
        Sha256 = f.Sha256,
        StoragePath = f.StoragePath,
        UploadedAt = ctx.Now,
        UploadedBy = ctx.Actor.Name,
    };
}
