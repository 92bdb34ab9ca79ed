using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Features.Bindings;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

/// <summary>
/// DY-M2: a fresh code for a change that still waits, inside its window (the shop's merchant or the admin). The old
/// code stops working at once; the wrong attempts already made still count (DY-M4), so resending never resets the lock.
/// </summary>
public sealed record ResendMainAccountCode(string ChangeId, [property: JsonIgnore] IOtpSender Sender) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var change = await MainAccountChanges.Visible(ctx.Db, ctx.Actor.Principal, ChangeId, track: true, ct);
        if (change is null)
        {
            return Result.NotFound("main-account change");
        }
        if (!ctx.Actor.Principal.ActsForShop(change.ShopId))
        {
            return Result.Forbidden("Only the shop (or the admin) can ask for a new code.", "只有店铺（或管理员）才能重新获取验证码。");
        }
        var shop = await ctx.Db.Shops.AsNoTracking().SingleAsync(s => s.Id == change.ShopId, ct);
        if (ctx.Policies.Get(shop.PolicyId).MainAccount is not { } policy)
        {
            return MainAccountChanges.NotOffered(shop);
        }
        if (!Sender.IsAvailable)
        {
            return MainAccountChanges.SenderUnavailable();
        }
        var state = await MainAccountChanges.State(ctx.Db, shop, policy, ctx.Now, ct);
        var (candidate, account) = await MainAccountChanges.Candidate(ctx.Db, change.ToAccountId, ct);
        var decision = MainAccountRules.DecideResend(change.ToDomain(), state, candidate, policy, ctx.Now);
        BinderyMetrics.Decision("main_account_change.resend", "write", decision);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }

        var before = MainAccountChanges.Snapshot(change);
        var code = OneTimeCodes.New(policy.CodeLength);
        change.CodeSalt = OneTimeCodes.NewSalt();
        change.CodeHash = OneTimeCodes.Hash(change.CodeSalt, code);
        change.SentTo = MainAccountChanges.MaskPhone(account!.Phone);
        change.CodeExpiresAt = Instants.Earliest(ctx.Now + policy.CodeValidFor, change.WindowEndsAt)!.Value;
        ctx.Record("main_account_change", change.Id, "main_account_change.code_resent", change.ShopId, change.ToAccountId, before, MainAccountChanges.Snapshot(change));
        ctx.Emit(EventTypes.MainAccountChangeCodeResent, change.Id, change.ShopId, change.ToAccountId, new
        {
            changeId = change.Id, change.ShopId, codeSentTo = change.SentTo, change.CodeExpiresAt, change.WindowEndsAt,
        });
        Sender.Send(new OtpMessage(change.Id, change.ShopId, change.ToAccountId, account.Phone!, change.SentTo, code, change.CodeExpiresAt), ctx);
        return Result.Ok(MainAccountChangeView.From(change, policy, ctx.Now, state));
    }
}
