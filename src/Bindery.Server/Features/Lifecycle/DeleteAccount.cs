using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Lifecycle;

/// <summary>
/// DY-L2: the account is deleted (注销). It can no longer be invited (its status is "deleting"); an unanswered
/// invitation is cancelled at once; its binding ends after the policy's grace period (Douyin: 7 days), at once
/// where the policy has none. The record and its history stay (DY-L3).
/// </summary>
public sealed record DeleteAccount(string AccountId) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var account = ctx.Actor.Principal.ActsForAccount(AccountId) ? await ctx.Db.Accounts.SingleOrDefaultAsync(a => a.Id == AccountId, ct) : null;
        if (account is null)
        {
            return Result.NotFound("account");
        }
        if (account.DeletedAt is not null)
        {
            return Result.Conflict("The account is already deleted.", "该账号已注销。");
        }
        var live = await ctx.Db.Bindings.Where(b => b.AccountId == AccountId
            && (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested)).ToListAsync(ct);
        var grace = TimeSpan.Zero;
        foreach (var b in live.Where(b => b.State != BindingState.Invited))
        {
            var policyId = await ctx.Db.Shops.Where(s => s.Id == b.ShopId).Select(s => s.PolicyId).SingleAsync(ct);
            grace = ctx.Policies.Get(policyId).AccountDeletion?.BindingsEndAfter ?? TimeSpan.Zero;
        }
        var before = AccountView.From(account);
        account.Status = AccountStatus.Deleting;
        account.DeletedAt = ctx.Now;
        account.BindingsEndAt = ctx.Now + grace;
        var after = AccountView.From(account);
        ctx.Record("account", account.Id, "account.deleted", null, account.Id, before, after);
        ctx.Emit(EventTypes.AccountDeleted, account.Id, null, account.Id, new { accountId = account.Id, deletedAt = ctx.Now, bindingsEndAt = account.BindingsEndAt });
        foreach (var b in live.Where(b => b.State == BindingState.Invited || grace == TimeSpan.Zero))
        {
            await LifecycleTransitions.EndOrCancel(ctx, b, ctx.Now, LifecycleTransitions.EndedByAccountDeletion, ct);
        }
        if (grace > TimeSpan.Zero)
        {
            ctx.DueAt(account.BindingsEndAt.Value);
        }
        return Result.Ok(after);
    }
}
