using Bindery.Domain;
using Bindery.Server.Features.Unlinks;

namespace Bindery.Server.Features.Bulk;

/// <summary>
/// Z-3: the shop approves many unlink requests at once (TS-U1), each exactly as <see cref="DecideUnlink"/> approves one:
/// the binding ends at once and stays in history (TS-U2, TS-U3); another shop's requests fail with not_found.
/// </summary>
public sealed record BulkApproveUnlinks(IReadOnlyList<BulkUnlinkApprovalInput?> Items) : IWriteCommand
{
    public Task<Result> Run(WriteContext ctx, CancellationToken ct) =>
        BulkItems.RunAll(ctx, Items, item => DecideUnlink.From(item.UnlinkRequestId, BindingAction.ApproveUnlink, item.Note),
            body => (body as UnlinkRequestView)?.Id, ct);
}
