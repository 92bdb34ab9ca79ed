using Bindery.Persistence;
using Bindery.Server.Api.Admin;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace Bindery.Server.Pages.SignIn;

/// <summary>
/// Sign-in (ADR 0015): in demo mode one click on a demo principal; in any mode by pasting an API token. Both end in
/// the standard cookie scheme carrying the token's own "bindery:*" claims, resolved exactly as the bearer handler does.
/// </summary>
public sealed class SignInModel : ConsolePage
{
    public IReadOnlyList<DemoPrincipal> DemoPrincipals => Options.Mode == RunMode.Demo ? Demo.Principals : [];

    public string? ReturnUrl { get; set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostDemoAsync(string? token, string? returnUrl)
    {
        if (Options.Mode != RunMode.Demo || !Demo.Principals.Any(p => p.Token == token))
        {
            Problem = Problems.Make(400, "validation_failed", Lang, T["signin.demo-only"]);
            return Page();
        }
        return await SignIn(token!, returnUrl, "token");
    }

    public async Task<IActionResult> OnPostTokenAsync(string? token, string? returnUrl)
    {
        ReturnUrl = returnUrl;
        if (string.IsNullOrWhiteSpace(token))
        {
            FieldErrors["token"] = T["signin.token-required"];
            return Page();
        }
        return await SignIn(token.Trim(), returnUrl, "token");
    }

    private async Task<IActionResult> SignIn(string token, string? returnUrl, string field)
    {
        var resolver = HttpContext.RequestServices.GetRequiredService<PrincipalResolver>();
        var identity = await TokenIdentity.Resolve(token, Options, resolver, ConsoleSetup.Scheme, Ct);
        if (identity is null)
        {
            FieldErrors[field] = T["signin.token-invalid"];
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleSetup.Scheme, new ClaimsPrincipal(identity));
        return LocalRedirect(ConsoleSetup.IsLocal(returnUrl) ? returnUrl! : "/console");
    }
}
