using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Checks;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.Merchant;

/// <summary>
/// Invite a creator by handle (TS-I1) with a pre-check that lists every blocking reason before sending (X-4): the
/// same dry run as POST /checks, live while typing (script) or with the "Check" button (no script).
/// </summary>
public sealed class InviteModel(BinderyDb db, PolicyCatalog policies) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;
    public Policy Policy { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? Handle { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    public CheckView? Check { get; private set; }

    public async Task<IActionResult> OnGetAsync(string shopId) => await Load(shopId) ? Page() : NotVisible();

    /// <summary>The dry run: the whole page without script, only the result fragment for the live pre-check.</summary>
    public async Task<IActionResult> OnGetCheckAsync(string shopId, bool fragment = false)
    {
        if (!await Load(shopId))
        {
            return NotVisible();
        }
        if (Validate())
        {
            var result = await CheckQueries.Check(new CheckInput("invite", shopId, null, Handle!.Trim().TrimStart('@'), Role, null, null), Reader, Ct);
            Check = (result as ValueResult)?.Value as CheckView;
            if (Check is null)
            {
                Show(result);
            }
        }
        return fragment ? Partial("_CheckResult", this) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string shopId)
    {
        if (!await Load(shopId))
        {
            return NotVisible();
        }
        if (!Validate())
        {
            return Page();
        }
        var (command, _) = Invite.From(shopId, new InviteInput(null, Handle!.Trim().TrimStart('@'), Role));
        var outcome = await Run(command!);
        if (outcome.IsSuccess)
        {
            return Done(T.F("invite.sent", "@" + Handle.Trim().TrimStart('@')), $"/console/shops/{shopId}");
        }
        Show(outcome);
        return Page();
    }

    private void Show(Result result)
    {
        if (result is MissingResult)
        {
            FieldErrors["handle"] = T["invite.no-account"];
        }
        else
        {
            Problem = Explain(result);
        }
    }

    private bool Validate()
    {
        if (string.IsNullOrWhiteSpace(Handle))
        {
            FieldErrors["handle"] = T["invite.handle-required"];
        }
        if (!Wire.TryParse<BindingRole>(Role, out var role) || !RoleChoices.Contains(role))
        {
            FieldErrors["role"] = T["invite.role-required"];
        }
        return FieldErrors.Count == 0;
    }

    private async Task<bool> Load(string shopId)
    {
        var shop = await ShopFor(db, shopId, Permission.InvitationsManage);
        if (shop is null)
        {
            return false;
        }
        Shop = shop;
        Policy = policies.Get(shop.PolicyId);
        return true;
    }

    public IReadOnlyList<BindingRole> RoleChoices =>
        Policy.Showcase is null ? [BindingRole.Official, BindingRole.Channel] : [BindingRole.Official, BindingRole.Channel, BindingRole.Showcase];
}
