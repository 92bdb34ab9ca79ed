using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Bulk;

/// <summary>
/// Runs single-item commands one after another inside the bulk request's one transaction (Z-3). Each allowed item is
/// saved (not committed) before the next runs, so a later item's rules read it: two invitations of one account in a
/// request, the second is refused by TS-B3. A refused or failed item leaves nothing staged: the earlier items are
/// already saved, so clearing the change tracker drops exactly what this item staged.
/// </summary>
public static class BulkItems
{
    /// <summary>
    /// Runs every item of a bulk request in order: a missing item or one that fails its own validation (<paramref name="parse"/>,
    /// the single-item endpoint's) is <c>failed</c>; the rest run as their single-item command.
    /// </summary>
    public static async Task<Result> RunAll<TItem>(WriteContext ctx, IReadOnlyList<TItem?> items,
        Func<TItem, (IWriteCommand? Command, FieldErrors Errors)> parse, Func<object?, string?> idOf, CancellationToken ct) where TItem : class
    {
        var results = new List<BulkItemResult>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                results.Add(BulkItemResult.Fail(i, BulkLimits.MissingItem));
                continue;
            }
            var (command, errors) = parse(item);
            results.Add(command is null || errors.Any
                ? BulkItemResult.Fail(i, errors.ToResult())
                : await Run(ctx, i, command, idOf, ct));
        }
        return Result.Ok(BulkResponse.Of(results));
    }

    public static async Task<BulkItemResult> Run(WriteContext ctx, int index, IWriteCommand command, Func<object?, string?> idOf, CancellationToken ct)
    {
        var outcome = await command.Run(ctx, ct);
        if (!outcome.IsSuccess && !outcome.CommitsChanges)
        {
            ctx.Db.ChangeTracker.Clear();
            return BulkItemResult.From(index, outcome, ctx.Lang, ctx.Actor.Principal, idOf);
        }
        // A savepoint per item (the pipeline's transaction is open): a constraint violation undoes this item only.
        var tx = ctx.Db.Database.CurrentTransaction ?? throw new InvalidOperationException("bulk items run inside the write pipeline's transaction");
        const string savepoint = "bulk_item";
        await tx.CreateSavepointAsync(savepoint, ct);
        try
        {
            await ctx.Db.SaveChangesAsync(ct);
            await tx.ReleaseSavepointAsync(savepoint, ct);
        }
        catch (DbUpdateException e) when (!Persistence.Store.IsRetryableConflict(e))
        {
            // (A PostgreSQL serialization failure is not this item's fault: it fails the whole write, which is retried.)
            await tx.RollbackToSavepointAsync(savepoint, ct);
            ctx.Db.ChangeTracker.Clear();
            return BulkItemResult.Fail(index, Result.Conflict(
                "The change conflicts with existing data (a uniqueness rule of the store); nothing was changed for this item.",
                "该修改与现有数据冲突（违反存储的唯一性约束），此项未做任何更改。"));
        }
        return BulkItemResult.From(index, outcome, ctx.Lang, ctx.Actor.Principal, idOf);
    }
}
