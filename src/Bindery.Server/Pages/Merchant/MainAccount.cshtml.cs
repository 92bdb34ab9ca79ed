using System.Text.Json;
using Bindery.Persistence;
using Bindery.Server.Features.MainAccount;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Merchant;

/// <summary>
/// DY-M1..M4: a Douyin shop's main account (主账户), changed with a one-time code sent to the new account's phone,
/// through the API's commands. In demo mode no phone is involved: staff (the admin) see the code on this page,
/// as they do in the event feed; merchants never do.
/// </summary>
public sealed class MainAccountModel(BinderyDb db, PolicyCatalog policies, IOtpSender sender) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;
    public MainAccountView View { get; private set; } = null!;
    public string? DemoCode { get; private set; }

    [BindProperty] public string? NewAccount { get; set; }
    [BindProperty] public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync(string shopId) => await Load(shopId) ? Page() : NotVisible();

    public async Task<IActionResult> OnPostStartAsync(string shopId)
    {
        if (!await Load(shopId))
        {
            return NotVisible();
        }
        var account = string.IsNullOrWhiteSpace(NewAccount) ? null : await Lookup.Account(db, null, NewAccount.Trim().TrimStart('@'), Ct);
        if (account is null)
        {
            FieldErrors["newAccount"] = string.IsNullOrWhiteSpace(NewAccount) ? T["main.account-required"] : T["invite.no-account"];
            return Page();
        }
        var (command, _) = StartMainAccountChange.From(shopId, new StartMainAccountChangeInput(account.Id), sender);
        return await After(shopId, await Run(command!), "main.started", null);
    }

    public async Task<IActionResult> OnPostVerifyAsync(string shopId, string id)
    {
        if (!await Load(shopId))
        {
            return NotVisible();
        }
        var (command, _) = VerifyMainAccountChange.From(id, new VerifyMainAccountChangeInput(Code));
        if (command is null)
        {
            FieldErrors["code"] = T["main.code-required"];
            return Page();
        }
        return await After(shopId, await Run(command), "main.completed", "code");
    }

    public async Task<IActionResult> OnPostResendAsync(string shopId, string id) =>
        await Load(shopId) ? await After(shopId, await Run(new ResendMainAccountCode(id, sender)), "main.resent", null) : NotVisible();

    public async Task<IActionResult> OnPostCancelAsync(string shopId, string id) =>
        await Load(shopId) ? await After(shopId, await Run(new CancelMainAccountChange(id)), "main.cancelled", null) : NotVisible();

    private async Task<IActionResult> After(string shopId, Result outcome, string doneKey, string? field)
    {
        if (outcome.IsSuccess)
        {
            return Done(T[doneKey], $"/console/shops/{shopId}/main-account");
        }
        if (field is not null && outcome is RefusedResult { Code: "wrong_code" } wrong)
        {
            var left = wrong.Extensions?.TryGetValue("attemptsLeft", out var a) == true ? a : "?";
            FieldErrors[field] = T.F("main.wrong-code", left);
        }
        else
        {
            Problem = Explain(outcome);
        }
        await Load(shopId);
        return Page();
    }

    private async Task<bool> Load(string shopId)
    {
        var shop = await ShopFor(db, shopId, Permission.BindingsView);
        if (shop is null || policies.Get(shop.PolicyId).MainAccount is null)
        {
            return false;
        }
        Shop = shop;
        if (Value<MainAccountView>(await MainAccountQueries.GetMainAccount(shopId, Reader, Ct)) is not { } view)
        {
            return false;
        }
        View = view;
        if (Options.Mode == RunMode.Demo && Me is { IsAdmin: true } && View.OpenChange is { } open)
        {
            // The admin reads the demo code from the event feed anyway; the console saves a trip to it.
            var data = await db.Events.AsNoTracking().Where(e => e.Type == DemoOtpSender.EventType && e.SubjectId == open.Id)
                .OrderByDescending(e => e.Seq).Select(e => e.Data).FirstOrDefaultAsync(Ct);
            DemoCode = data is null ? null : JsonDocument.Parse(data).RootElement.GetProperty("code").GetString();
        }
        return true;
    }
}
