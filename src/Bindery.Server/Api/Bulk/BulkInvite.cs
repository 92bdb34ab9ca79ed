using Bindery.Server.Api.Invitations;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Bindery.Server.Writes;

namespace Bindery.Server.Api.Bulk;

/// <summary>
/// Z-3: many invitations in one request, each checked and recorded exactly as <see cref="Invite"/> does (TS-I1, every
/// eligibility and quota rule). A merchant may only use its own shop: another shop's items fail with not_found.
/// </summary>
public sealed record BulkInvite(IReadOnlyList<BulkInvitationInput?> Items) : IWriteCommand
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
            var (command, errors) = Invite.From(item.ShopId ?? "", new InviteInput(item.AccountId, item.Handle, item.Role));
            if (item.ShopId is null)
            {
                errors.Add("shopId", "is required");
            }
            if (command is null || errors.Any)
            {
                results.Add(BulkItemResult.Fail(i, BulkLimits.Problem(errors, ctx.Lang)));
                continue;
            }
            results.Add(await BulkItems.Run(ctx, i, command, body => (body as BindingView)?.Id, ct));
        }
        return Outcome.Ok(BulkResponse.Of(results));
    }
}
