using System.Security.Claims;
using Bindery.Persistence;
using Bindery.Server.Features.Access;
using Bindery.Server.Features.Admin;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.SignIn;

/// <summary>
/// Sign-in (ADR 0015): in demo mode one click on a demo principal; in any mode with a username and password, or by
/// pasting an API token. All end in the console's cookie scheme carrying the token's own "bindery:*" claims, resolved exactly as the bearer handler does.
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

    /// <summary>
    /// Username and password: the same verification and lockout as <c>POST /api/v1/sessions</c>
    /// (<see cref="PasswordSignIn.Verify"/>), signing in the console's own cookie with the login's id, so a disabled
    /// login ends the session at its next request.
    /// </summary>
    public async Task<IActionResult> OnPostPasswordAsync(string? username, string? password, string? returnUrl)
    {
        ReturnUrl = returnUrl;
        Username = username;
        if (string.IsNullOrWhiteSpace(username))
        {
            FieldErrors["username"] = T["signin.username-required"];
        }
        if (string.IsNullOrEmpty(password) || password.Length > 200)
        {
            FieldErrors["password"] = T["signin.password-required"];
        }
        if (FieldErrors.Count > 0)
        {
            return Page();
        }
        var s = HttpContext.RequestServices;
        var (refusal, principal, loginId) = await PasswordSignIn.Verify(username!, password!, HttpContext.Connection.RemoteIpAddress?.ToString(), Lang, s.GetRequiredService<BinderyDb>(),
            s.GetRequiredService<WritePipeline>(), s.GetRequiredService<PrincipalResolver>(), Options, Ct);
        if (principal is null)
        {
            FieldErrors["password"] = refusal is RefusedResult { Code: "login_locked" } locked
                ? T.F("signin.locked", locked.Extensions is { } ext && ext.TryGetValue("lockedUntil", out var u) && u is DateTimeOffset until ? At(until) : "—")
                : T["signin.password-wrong"];
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleSetup.Scheme, PrincipalClaims.Identity(principal, ConsoleSetup.Scheme, loginId));
        return LocalRedirect(ConsoleSetup.IsLocal(returnUrl) ? returnUrl! : "/console");
    }

    public string? Username { get; set; }

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
