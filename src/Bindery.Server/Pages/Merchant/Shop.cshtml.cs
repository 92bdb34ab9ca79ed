using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Features.Shops;
using Bindery.Server.Features.Unlinks;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Merchant;

/// <summary>
/// The seller centre's shop overview: role slots and who fills them, quota counters with "next possible at" (Z-2),
/// pending invitations with their countdown, unlink requests to approve or reject (TS-U1), unbind applications.
/// Reads and writes go through the API's own methods and commands.
/// </summary>
public sealed class ShopModel(BinderyDb db, PolicyCatalog policies) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;
    public Policy Policy { get; private set; } = null!;
    public IReadOnlyList<BindingView> Live { get; private set; } = [];
    public QuotasView Quotas { get; private set; } = null!;
    public IReadOnlyList<UnbindApplicationView> Applications { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Handles { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string shopId) => await Load(shopId) ? Page() : NotVisible();

    public Task<IActionResult> OnPostCancelAsync(string shopId, string id) =>
        Act(shopId, new AnswerInvitation(id, BindingAction.Cancel), "shop.cancelled");

    public Task<IActionResult> OnPostApproveAsync(string shopId, string id) =>
        Act(shopId, new DecideUnlink(id, BindingAction.ApproveUnlink, null), "shop.approved");

    public async Task<IActionResult> OnPostRejectAsync(string shopId, string id, string? note)
    {
        var (command, _) = DecideUnlink.From(id, BindingAction.RejectUnlink, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        if (command is null)
        {
            FieldErrors["note-" + id] = T["shop.note-too-long"];
            return await Load(shopId) ? Page() : NotVisible();
        }
        return await Act(shopId, command, "shop.rejected");
    }

    private async Task<IActionResult> Act(string shopId, IWriteCommand command, string doneKey)
    {
        if (await ShopFor(db, shopId, Permission.BindingsView) is null)
        {
            return NotVisible();
        }
        var outcome = await Run(command);
        if (outcome.IsSuccess)
        {
            return Done(T[doneKey], $"/console/shops/{shopId}");
        }
        Problem = Explain(outcome);
        return await Load(shopId) ? Page() : NotVisible();
    }

    private async Task<bool> Load(string shopId)
    {
        var shop = await ShopFor(db, shopId, Permission.BindingsView);
        if (shop is null)
        {
            return false;
        }
        Shop = shop;
        Policy = policies.Get(shop.PolicyId);
        if (Value<BindingView[]>(await ShopQueries.ListBindings(shopId, "live", Reader, Ct)) is not { } live
            || Value<QuotasView>(await ShopQueries.GetQuotas(shopId, Reader, Ct)) is not { } quotas
            || Value<UnbindApplicationView[]>(await ApplicationQueries.ListForShop(shopId, null, Reader, Ct)) is not { } applications)
        {
            return false;
        }
        (Live, Quotas, Applications) = (live, quotas, applications);
        var ids = Live.Select(b => b.AccountId).Concat(Applications.Select(a => a.AccountId)).Distinct().ToArray();
        Handles = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Handle, Ct);
        return true;
    }

    public string Handle(string accountId) => Handles.TryGetValue(accountId, out var h) ? "@" + h : accountId;

    public IEnumerable<BindingRole> Roles => Policy.Showcase is null ? [BindingRole.Official, BindingRole.Channel] : [BindingRole.Official, BindingRole.Channel, BindingRole.Showcase];

    public (int? Limit, int Used) Slots(BindingRole role)
    {
        var (_, limit) = Policy.CapacityFor(Shop.ToDomain(), role, Now);
        return (limit, Live.Count(b => b.Role == Wire.Name(role)));
    }

    public UnbindMethod UnbindBy(string role) => Policy.Traits(Wire.TryParse<BindingRole>(role, out var r) ? r : BindingRole.Channel).Unbind;
}
