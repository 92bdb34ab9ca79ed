using Bindery.Domain;
using Bindery.Server.Api.Unlinks;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Bindery.Server.Writes;

namespace Bindery.Server.Api.Bulk;

/// <summary>
/// Z-3: the shop approves many unlink requests at once (TS-U1), each exactly as <see cref="DecideUnlink"/> approves one:
/// the binding ends at once and stays in history (TS-U2, TS-U3); another shop's requests fail with not_found.
/// </summary>
public sealed record BulkApproveUnlinks(IReadOnlyList<BulkUnlinkApprovalInput?> Items) : IWriteCommand
{
    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        var results = new List<BulkItemResult>(Items.Count);
        for (var i = 0; i < Items.Count; i++)
        {
            if (Items[i] is not { } item)
            {
                results.Add(BulkItemResult.Fail(i, BulkLimits.MissingItem(ctx.Lang)));
                continue;
            }
            // The same limits as POST /unlink-requests/{id}/approve.
            var errors = new FieldErrors();
            errors.Id("unlinkRequestId", item.UnlinkRequestId, required: true);
            if (item.Note is { Length: > 500 })
            {
                errors.Add("note", "at most 500 characters");
            }
            if (errors.Any)
            {
                results.Add(BulkItemResult.Fail(i, BulkLimits.Problem(errors, ctx.Lang)));
                continue;
            }
            var command = new DecideUnlink(item.UnlinkRequestId!, BindingAction.ApproveUnlink, item.Note);
            results.Add(await BulkItems.Run(ctx, i, command, body => (body as UnlinkRequestView)?.Id, ct));
        }
        return Outcome.Ok(BulkResponse.Of(results));
    }
}
