using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Accounts;
using Bindery.Server.Features.Bindings;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Features.Unlinks;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Creator;

/// <summary>
/// The creator's side (app): invitations with accept / decline and the time left (TS-I1/I2), my binding, the unlink
/// request (TS-U1), and undoing a showcase binding through a confirmation dialog (DY-B3).
/// </summary>
public sealed class AccountModel(BinderyDb db, PolicyCatalog policies, Confirmations confirmations) : ConsolePage
{
    public AccountRow Account { get; private set; } = null!;
    public IReadOnlyList<BindingView> Bindings { get; private set; } = [];
    public IReadOnlyDictionary<string, ShopRow> Shops { get; private set; } = new Dictionary<string, ShopRow>(StringComparer.Ordinal);

    /// <summary>DY-B3: the first step's answer, shown in the confirmation dialog.</summary>
    public ConfirmationView? Confirm { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountId) => await Load(accountId) ? Page() : NotVisible();

    public Task<IActionResult> OnPostAcceptAsync(string accountId, string id) => Act(accountId, new AnswerInvitation(id, BindingAction.Accept), "creator.accepted");

    public Task<IActionResult> OnPostDeclineAsync(string accountId, string id) => Act(accountId, new AnswerInvitation(id, BindingAction.Decline), "creator.declined");

    public async Task<IActionResult> OnPostUnlinkAsync(string accountId, string id, string? reason)
    {
        if (reason is { Length: > 500 })
        {
            FieldErrors["reason-" + id] = T["creator.reason-too-long"];
            return await Load(accountId) ? Page() : NotVisible();
        }
        return await Act(accountId, new RequestUnlink(id, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()), "creator.unlink-sent");
    }

    /// <summary>DY-B3, first step: nothing changes yet; the answer's token goes into the dialog's confirm button.</summary>
    public async Task<IActionResult> OnPostUnbindAsync(string accountId, string id, string? confirmationToken)
    {
        if (!await Load(accountId))
        {
            return NotVisible();
        }
        var outcome = await Run(new OwnerUnbind(id, string.IsNullOrEmpty(confirmationToken) ? null : confirmationToken, confirmations));
        if (outcome is ValueResult { Value: ConfirmationView confirm })
        {
            Confirm = confirm;
            return Page();
        }
        if (outcome.IsSuccess)
        {
            return Done(T["creator.unbound"], $"/console/accounts/{accountId}");
        }
        Problem = Explain(outcome);
        return await Load(accountId) ? Page() : NotVisible();
    }

    private async Task<IActionResult> Act(string accountId, IWriteCommand command, string doneKey)
    {
        if (await AccountQueries.Visible(Reader, accountId, Ct) is null)
        {
            return NotVisible();
        }
        var outcome = await Run(command);
        if (outcome.IsSuccess)
        {
            return Done(T[doneKey], $"/console/accounts/{accountId}");
        }
        Problem = Explain(outcome);
        return await Load(accountId) ? Page() : NotVisible();
    }

    private async Task<bool> Load(string accountId)
    {
        var account = await AccountQueries.Visible(Reader, accountId, Ct);
        if (account is null)
        {
            return false;
        }
        Account = account;
        if (Value<BindingView[]>(await AccountQueries.ListBindings(accountId, Reader, Ct)) is not { } bindings)
        {
            return false;
        }
        Bindings = bindings;
        var ids = Bindings.Select(b => b.ShopId).Distinct().ToArray();
        Shops = await db.Shops.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, Ct);
        return true;
    }

    public string ShopName(string shopId) => Shops.TryGetValue(shopId, out var s) ? s.Name : shopId;

    public UnbindMethod UnbindBy(BindingView b) =>
        policies.Get(Shops[b.ShopId].PolicyId).Traits(Wire.TryParse<BindingRole>(b.Role, out var r) ? r : BindingRole.Channel).Unbind;
}
