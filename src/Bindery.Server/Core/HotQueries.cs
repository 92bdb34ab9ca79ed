using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Core;

/// <summary>
/// The reads on every check and every binding command, compiled once (EF.CompileAsyncQuery) instead of having
/// their expression trees parameterised and looked up in the query cache on each call. Plain LINQ, so they run
/// unchanged on every provider. See docs/performance.md ("lean reads") for what this bought.
/// </summary>
public static class HotQueries
{
    public static readonly Func<BinderyDb, string, CancellationToken, Task<ShopRow?>> ShopById =
        EF.CompileAsyncQuery((BinderyDb db, string id, CancellationToken ct) => db.Shops.AsNoTracking().SingleOrDefault(s => s.Id == id));

    public static readonly Func<BinderyDb, string, CancellationToken, Task<AccountRow?>> AccountById =
        EF.CompileAsyncQuery((BinderyDb db, string id, CancellationToken ct) => db.Accounts.AsNoTracking().SingleOrDefault(a => a.Id == id));

    public static readonly Func<BinderyDb, string, CancellationToken, Task<AccountRow?>> AccountByHandle =
        EF.CompileAsyncQuery((BinderyDb db, string handle, CancellationToken ct) => db.Accounts.AsNoTracking().SingleOrDefault(a => a.Handle == handle));

    /// <summary>The rows <see cref="RuleInputs.Usage"/> counts: live bindings, recent channel activations, official unbinds.</summary>
    public static readonly Func<BinderyDb, string, DateTimeOffset, IAsyncEnumerable<UsageRow>> UsageRows =
        EF.CompileAsyncQuery((BinderyDb db, string shopId, DateTimeOffset windowStart) => db.Bindings.AsNoTracking()
            .Where(b => b.ShopId == shopId && (
                b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested
                || (b.Role == BindingRole.Channel && b.ActivatedAt > windowStart)
                || (b.Role == BindingRole.Official && b.State == BindingState.Ended && b.EndReason != null
                    && (b.EndReason == BindingEnds.UnlinkApproved || b.EndReason == BindingEnds.UnlinkAutoApproved
                        || b.EndReason == BindingEnds.Swapped))))
            .Select(b => new UsageRow(b.Role, b.State, b.ActivatedAt, b.EndReason)));

    /// <summary>A live binding holding the account other than the given one (TS-B3); "" excludes nothing.</summary>
    public static readonly Func<BinderyDb, string, string, CancellationToken, Task<AccountHold?>> Hold =
        EF.CompileAsyncQuery((BinderyDb db, string accountId, string exceptBindingId, CancellationToken ct) => db.Bindings.AsNoTracking()
            .Where(b => b.AccountId == accountId && b.Id != exceptBindingId
                && (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested))
            .Select(b => new AccountHold(b.Id, b.ShopId, b.State))
            .FirstOrDefault());

    public static readonly Func<BinderyDb, string, string, CancellationToken, Task<IdempotencyRow?>> Idempotency =
        EF.CompileAsyncQuery((BinderyDb db, string principal, string key, CancellationToken ct) =>
            db.IdempotencyRecords.AsNoTracking().SingleOrDefault(r => r.Principal == principal && r.Key == key));
}

/// <summary>One binding as the shop's usage counts it.</summary>
public sealed record UsageRow(BindingRole Role, BindingState State, DateTimeOffset? ActivatedAt, string? EndReason);
