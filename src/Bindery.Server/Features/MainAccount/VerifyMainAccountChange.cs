using System.Globalization;
using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.MainAccount;

public sealed record VerifyMainAccountChangeInput(string? Code);

/// <summary>
/// DY-M2/M4: the code sent to the new account's phone is entered (by the shop's merchant, the admin, or the new
/// account's holder). Right: the shop's main account becomes the new account in the same transaction. Wrong: 422
/// <c>wrong_code</c> with the attempts left, and the attempt that reaches the limit locks the change (423
/// <c>change_locked</c>); the wrong attempt is recorded, nothing else changes. Wrong codes count per shop within the
/// policy's <c>lockFor</c>, across changes (DY-M4): cancelling or starting again resets nothing. A malformed code or a change that can
/// no longer be verified changes nothing at all (no attempt is counted).
/// </summary>
public sealed record VerifyMainAccountChange(string ChangeId, string Code) : IWriteCommand, IChangesAccess
{
    public const int MaxCodeLength = 32;

    public static (VerifyMainAccountChange? Command, FieldErrors Errors) From(string changeId, VerifyMainAccountChangeInput input)
    {
        var e = new FieldErrors();
        var code = input.Code?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            e.Add("code", "is required: the digits sent to the new account's phone");
        }
        else if (code.Length > MaxCodeLength || !code.All(char.IsAsciiDigit))
        {
            e.Add("code", "must be digits only");
        }
        return e.Any ? (null, e) : (new VerifyMainAccountChange(changeId, code!), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var change = await MainAccountChanges.Visible(ctx.Db, ctx.Actor.Principal, ChangeId, track: true, ct);
        if (change is null)
        {
            return Result.NotFound("main-account change");
        }
        var shop = await ctx.Db.Shops.SingleAsync(s => s.Id == change.ShopId, ct);
        if (ctx.Policies.Get(shop.PolicyId).MainAccount is not { } policy)
        {
            return MainAccountChanges.NotOffered(shop);
        }
        if (Code.Length != policy.CodeLength)
        {
            // Cannot match, so it is a typing slip rather than a guess: refused without counting.
            return Result.Invalid("code", $"must be exactly {policy.CodeLength.ToString(CultureInfo.InvariantCulture)} digits");
        }
        var state = await MainAccountChanges.State(ctx.Db, shop, policy, ctx.Now, ct);
        var (candidate, _) = await MainAccountChanges.Candidate(ctx.Db, change.ToAccountId, ct);
        var decision = MainAccountRules.DecideVerify(change.ToDomain(), state, candidate, policy, ctx.Now);
        BinderyMetrics.Decision("main_account_change.verify", "write", decision);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }

        var before = MainAccountChanges.Snapshot(change);
        if (!OneTimeCodes.Matches(Code, change.CodeSalt, change.CodeHash))
        {
            return WrongCode(ctx, change, state, policy, before);
        }

        var shopBefore = ShopView.From(shop);
        change.State = MainAccountChangeState.Completed;
        change.EndedAt = ctx.Now;
        MainAccountChanges.WipeCode(change);
        shop.MainAccountId = change.ToAccountId;
        ctx.Record("main_account_change", change.Id, "main_account_change.completed", shop.Id, change.ToAccountId, before, MainAccountChanges.Snapshot(change));
        ctx.Record("shop", shop.Id, "shop.main_account_changed", shop.Id, change.ToAccountId, shopBefore, ShopView.From(shop));
        ctx.Emit(EventTypes.MainAccountChanged, change.Id, shop.Id, change.ToAccountId, new
        {
            changeId = change.Id, shopId = shop.Id, change.FromAccountId, change.ToAccountId, changedAt = ctx.Now,
        });
        return Result.Ok(MainAccountChangeView.From(change, policy, ctx.Now));
    }

    private static Result WrongCode(WriteContext ctx, Persistence.MainAccountChangeRow change, MainAccountState state, MainAccountPolicy policy, object before)
    {
        // DY-M4 per shop: counted with the shop's other recent wrong codes, and kept apart from the change, so that
        // cancelling, letting it run out or starting again resets nothing.
        var result = MainAccountRules.WrongCode(change.ToDomain(), state, policy, ctx.Now);
        change.WrongCodes = result.WrongCodes;
        ctx.Db.MainAccountWrongCodes.Add(new Persistence.MainAccountWrongCodeRow { Id = Ids.New("mwc"), ShopId = change.ShopId, ChangeId = change.Id, At = ctx.Now });
        if (result.Locks)
        {
            change.State = MainAccountChangeState.Locked;
            change.LockedUntil = result.LockedUntil;
            change.EndedAt = ctx.Now;
            MainAccountChanges.WipeCode(change);
        }
        var action = result.Locks ? EventTypes.MainAccountChangeLocked : EventTypes.MainAccountChangeWrongCode;
        ctx.Record("main_account_change", change.Id, action, change.ShopId, change.ToAccountId, before, MainAccountChanges.Snapshot(change));
        ctx.Emit(action, change.Id, change.ShopId, change.ToAccountId, new
        {
            changeId = change.Id, change.ShopId, change.WrongCodes, attemptsLeft = result.AttemptsLeft, change.LockedUntil,
        });
        // Refused, yet the attempt counts (DY-M4): the counter and the lock commit with the answer.
        return new RefusedResult(result.Locks ? "change_locked" : "wrong_code", null)
        {
            Decision = Decision.Denied([result.Reason]),
            PassesAt = result.LockedUntil,
            Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["attemptsLeft"] = result.AttemptsLeft, ["changeId"] = change.Id },
            CommitsChanges = true,
        };
    }
}
