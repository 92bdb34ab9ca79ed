using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Merchant;

/// <summary>
/// DY-A1: file an unbind application for a binding only staff can undo (DY-O2): reason, contact and evidence files,
/// through the API's own filing code (same rules, same store, same limits).
/// </summary>
// The evidence form is read by the framework (antiforgery): Kestrel's former default stays its limit (InputGate's is 1 MiB).
[RequestSizeLimit(30_000_000)]
public sealed class ApplyModel(BinderyDb db, PolicyCatalog policies) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;
    public BindingRow Binding { get; private set; } = null!;
    public string AccountHandle { get; private set; } = "";
    public UnbindApplicationPolicy Rules { get; private set; } = null!;

    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ReasonText { get; set; }
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }

    public async Task<IActionResult> OnGetAsync(string shopId, string bindingId) => await Load(shopId, bindingId) ? Page() : NotVisible();

    public async Task<IActionResult> OnPostAsync(string shopId, string bindingId)
    {
        if (!await Load(shopId, bindingId))
        {
            return NotVisible();
        }
        if (string.IsNullOrWhiteSpace(Reason)) { FieldErrors["reason"] = T["apply.reason-required"]; }
        if (string.IsNullOrWhiteSpace(ContactName)) { FieldErrors["contactName"] = T["apply.contact-required"]; }
        if (string.IsNullOrWhiteSpace(ContactPhone)) { FieldErrors["contactPhone"] = T["apply.phone-required"]; }
        if (Rules.Reason(Reason ?? "") is { } chosen)
        {
            foreach (var kind in chosen.RequiredEvidence.Where(k => Request.Form.Files.GetFile(k) is not { Length: > 0 }))
            {
                FieldErrors["file-" + kind] = T["apply.file-required"];
            }
            if (chosen.RequiresText && string.IsNullOrWhiteSpace(ReasonText))
            {
                FieldErrors["reasonText"] = T["apply.text-required"];
            }
        }
        if (FieldErrors.Count > 0)
        {
            return Page();
        }
        var form = Request.Form;
        var result = await FileApplication.FileWith(bindingId, Reader, EvidenceStore.For(HttpContext),
            (store, shop, evidence) => EvidenceForms.FromForm(form, store, shop, evidence, 0, FileApplication.TextFields, Ct), Run, Ct);
        if (result.IsSuccess)
        {
            return Done(T["apply.filed"], $"/console/shops/{shopId}");
        }
        Problem = Explain(result);
        return Page();
    }

    private async Task<bool> Load(string shopId, string bindingId)
    {
        var shop = await ShopFor(db, shopId, Permission.ApplicationsManage);
        var binding = shop is null ? null : await Lookup.Binding(db, Me!, bindingId, track: false, Ct);
        if (shop is null || binding is null || binding.ShopId != shop.Id || policies.Get(shop.PolicyId).UnbindApplication is not { } rules)
        {
            return false;
        }
        Shop = shop;
        Binding = binding;
        Rules = rules;
        AccountHandle = await db.Accounts.AsNoTracking().Where(a => a.Id == binding.AccountId).Select(a => a.Handle).SingleAsync(Ct);
        return true;
    }

    public string ReasonLabel(UnbindReason r) => Lang == Language.ZhCn ? r.Zh : r.En;
}
