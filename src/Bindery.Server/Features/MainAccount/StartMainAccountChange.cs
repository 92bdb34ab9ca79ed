using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Bindings;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

public sealed record StartMainAccountChangeInput(string? AccountId);

/// <summary>
/// DY-M1..M4: the shop's merchant (or the admin) starts changing the main account to an existing, real-name verified
/// account; a one-time code goes to that account's phone and must be entered within the policy's window.
/// </summary>
public sealed record StartMainAccountChange(string ShopId, string AccountId, [property: JsonIgnore] IOtpSender Sender) : IWriteCommand
{
    public static (StartMainAccountChange? Command, FieldErrors Errors) From(string shopId, StartMainAccountChangeInput input, IOtpSender sender)
    {
        var e = new FieldErrors();
        var accountId = e.Id("accountId", input.AccountId, required: true);
        return e.Any ? (null, e) : (new StartMainAccountChange(shopId, accountId!, sender), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var shop = ctx.Actor.Principal.ActsForShop(ShopId) ? await HotQueries.ShopById(ctx.Db, ShopId, ct) : null;
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        if (ctx.Policies.Get(shop.PolicyId).MainAccount is not { } policy)
        {
            return MainAccountChanges.NotOffered(shop);
        }
        if (!Sender.IsAvailable)
        {
            return MainAccountChanges.SenderUnavailable();
        }
        var state = await MainAccountChanges.State(ctx.Db, shop, policy, ctx.Now, ct);
        var (candidate, account) = await MainAccountChanges.Candidate(ctx.Db, AccountId, ct);
        var decision = MainAccountRules.DecideStart(state, candidate, policy, ctx.Now);
        BinderyMetrics.Decision("main_account_change.start", "write", decision);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }

        var code = OneTimeCodes.New(policy.CodeLength);
        var salt = OneTimeCodes.NewSalt();
        var windowEndsAt = ctx.Now + policy.ChangeWindow;
        var row = new MainAccountChangeRow
        {
            Id = Ids.New("mac"),
            ShopId = shop.Id,
            FromAccountId = shop.MainAccountId,
            ToAccountId = account!.Id,
            State = MainAccountChangeState.AwaitingCode,
            StartedAt = ctx.Now,
            StartedBy = ctx.Actor.Name,
            CodeHash = OneTimeCodes.Hash(salt, code),
            CodeSalt = salt,
            SentTo = MainAccountChanges.MaskPhone(account.Phone),
            CodeExpiresAt = Instants.Earliest(ctx.Now + policy.CodeValidFor, windowEndsAt)!.Value,
            WindowEndsAt = windowEndsAt,
        };
        ctx.Db.MainAccountChanges.Add(row);
        ctx.Record("main_account_change", row.Id, "main_account_change.started", row.ShopId, row.ToAccountId, null, MainAccountChanges.Snapshot(row));
        ctx.Emit(EventTypes.MainAccountChangeStarted, row.Id, row.ShopId, row.ToAccountId, new
        {
            changeId = row.Id, row.ShopId, row.FromAccountId, row.ToAccountId, codeSentTo = row.SentTo, row.CodeExpiresAt, row.WindowEndsAt,
        });
        Sender.Send(new OtpMessage(row.Id, row.ShopId, row.ToAccountId, account.Phone!, row.SentTo, code, row.CodeExpiresAt), ctx);
        ctx.DueAt(row.WindowEndsAt);
        return Result.Created(MainAccountChangeView.From(row, policy, ctx.Now, state), $"/api/v1/main-account-changes/{row.Id}");
    }
}
