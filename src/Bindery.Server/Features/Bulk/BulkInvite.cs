using Bindery.Server.Features.Invitations;

namespace Bindery.Server.Features.Bulk;

/// <summary>
/// Z-3: many invitations in one request, each checked and recorded exactly as <see cref="Invite"/> does (TS-I1, every
/// eligibility and quota rule). A merchant may only use its own shop: another shop's items fail with not_found.
/// </summary>
public sealed record BulkInvite(IReadOnlyList<BulkInvitationInput?> Items) : IWriteCommand
{
    public Task<Result> Run(WriteContext ctx, CancellationToken ct) =>
        BulkItems.RunAll(ctx, Items, Parse, body => (body as BindingView)?.Id, ct);

    private static (IWriteCommand? Command, FieldErrors Errors) Parse(BulkInvitationInput item)
    {
        var (command, errors) = Invite.From(item.ShopId ?? "", new InviteInput(item.AccountId, item.Handle, item.Role));
        if (item.ShopId is null)
        {
            errors.Add("shopId", "is required");
        }
        return (command, errors);
    }
}
