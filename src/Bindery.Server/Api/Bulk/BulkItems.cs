using Bindery.Server.Infrastructure;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Bulk;

/// <summary>
/// Runs single-item commands one after another inside the bulk request's one transaction (Z-3). Each allowed item is
/// saved (not committed) before the next runs, so a later item's rules read it: two invitations of one account in a
/// request, the second is refused by TS-B3. A refused or failed item leaves nothing staged: the earlier items are
/// already saved, so clearing the change tracker drops exactly what this item staged.
/// </summary>
public static class BulkItems
{
    public static async Task<BulkItemResult> Run(WriteContext ctx, int index, IWriteCommand command, Func<object?, string?> idOf, CancellationToken ct)
    {
        var outcome = await command.Run(ctx, ct);
        if (!outcome.IsSuccess && !outcome.CommitsChanges)
        {
            ctx.Db.ChangeTracker.Clear();
            return BulkItemResult.From(index, outcome, idOf);
        }
        try
        {
            // Inside the pipeline's transaction EF Core sets a savepoint around SaveChanges and rolls back to it on failure,
            // so a constraint violation undoes this item only.
            await ctx.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            ctx.Db.ChangeTracker.Clear();
            return BulkItemResult.Fail(index, Problems.Conflict(ctx.Lang,
                "The change conflicts with existing data (a uniqueness rule of the store); nothing was changed for this item."));
        }
        return BulkItemResult.From(index, outcome, idOf);
    }
}
