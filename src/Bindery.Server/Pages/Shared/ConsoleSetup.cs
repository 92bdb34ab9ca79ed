using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages;

/// <summary>
/// The web console (ADR 0015): Razor Pages under /console, signed in with the standard cookie scheme carrying the same
/// "bindery:*" claims as a bearer token, under a scheme of its own (<see cref="Scheme"/>): it never authenticates an /api/v1 call.
/// </summary>
public static class ConsoleSetup
{
    public const string Policy = "console";

    /// <summary>
    /// The console's own cookie scheme, apart from the API's session cookie ("Cookies", password sign-in): a console
    /// cookie never authenticates an /api/v1 call, so the API needs no CSRF defence for it.
    /// </summary>
    public const string Scheme = "Console";
    public const string LanguageCookie = "bindery-lang";

    public static AuthenticationBuilder AddConsoleCookie(this AuthenticationBuilder auth) =>
        auth.AddCookie(Scheme, o =>
        {
            o.LoginPath = "/console/sign-in";
            o.LogoutPath = "/console/sign-out";
            o.AccessDeniedPath = "/console/sign-in";
            o.Cookie.Name = "bindery-console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // A session lasts 8 real hours: the wall clock, not the service's movable clock (X-5 would end it).
            o.TimeProvider = TimeProvider.System;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                // A session signed in with a password names its login: a disabled login (or a revoked delegation)
                // ends it, and a changed principal replaces the old claims, as the API's cookie does (Revalidate).
                if (ctx.Principal?.FindFirst(PrincipalClaims.Login)?.Value is { } loginId)
                {
                    var resolver = ctx.HttpContext.RequestServices.GetRequiredService<PrincipalResolver>();
                    var principal = await resolver.FromLogin(loginId, ctx.HttpContext.RequestAborted);
                    if (principal is null)
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(Scheme);
                        return;
                    }
                    ctx.ReplacePrincipal(PrincipalClaims.Identity(principal, Scheme, loginId));
                    return;
                }
                // A revoked or expired token ends its console sessions too.
                var dbs = ctx.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<BinderyDb>>();
                var clock = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                await using var db = await dbs.CreateDbContextAsync(ctx.HttpContext.RequestAborted);
                if (ctx.Principal is null || !await TokenIdentity.StillValid(ctx.Principal, db, clock.GetUtcNow(), ctx.HttpContext.RequestAborted))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(Scheme);
                }
            };
        });

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser());
        // Chinese text is written as characters, not as numeric entities (smaller pages, readable source).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn/SignIn");
            // Every page declares who may open it, like every API endpoint (the access gate refuses a page without a
            // declaration). A page still checks the tenant and a sub account's permission itself.
            foreach (var (page, callers) in PageCallers)
            {
                o.Conventions.AddPageApplicationModelConvention(page, m =>
                {
                    m.EndpointMetadata.Add(ConsoleEndpoint.Instance);
                    m.EndpointMetadata.Add(callers == Callers.Anonymous
                        ? new AccessRequirement(Callers.Anonymous, null)
                        : new AccessRequirement(callers | Callers.Admin, null));
                });
            }
            o.Conventions.AddPageApplicationModelConvention("/SignIn/SignIn", m => m.EndpointMetadata.Add(SignInAttempts.Instance));
            o.Conventions.AddPageApplicationModelConvention("/Home/Missing", m => m.EndpointMetadata.Add(ConsoleRefusalPage.Instance));
        });
        return services;
    }

    /// <summary>Who may open each console page (the admin always may). A page missing here is refused for everyone.</summary>
    internal static readonly IReadOnlyList<(string Page, Callers Callers)> PageCallers =
    [
        ("/SignIn/SignIn", Callers.Anonymous),
        ("/SignIn/SignOut", Callers.Anyone),
        ("/Home/Index", Callers.Anyone),
        ("/Home/Missing", Callers.Anyone),
        ("/DemoClock/Clock", Callers.Anyone),
        ("/Creator/Account", Callers.Creator),
        ("/Merchant/Shop", Callers.Merchant),
        ("/Merchant/Invite", Callers.Merchant),
        ("/Merchant/History", Callers.Merchant),
        ("/Merchant/MainAccount", Callers.Merchant),
        ("/Merchant/Apply", Callers.Merchant),
        ("/Tickets/Tickets", Callers.Merchant),
        ("/Tickets/NewTicket", Callers.Merchant),
        ("/Tickets/Ticket", Callers.Merchant | Callers.Support),
        ("/Tickets/Queue", Callers.Support),
        ("/Staff/Review", Callers.Reviewer),
        ("/Staff/Policies", Callers.Staff),
        ("/Staff/Shops", Callers.Admin),
    ];

    /// <summary>Console pages speak the language the person chose (cookie), else the browser's Accept-Language.</summary>
    public static IApplicationBuilder UseConsoleLanguage(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<ConsoleEndpoint>() is not null)
            {
                http.Items[Lang.ChosenKey] = http.Request.Cookies[LanguageCookie] switch
                {
                    "zh-CN" => Language.ZhCn,
                    "en" => Language.En,
                    _ => Lang.FromHeader(http),
                };
            }
            return next(http);
        });

    public static void MapConsole(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/console")).Public().ExcludeFromDescription();
        app.MapGet("/console/language", (string? to, string? returnUrl, HttpContext http) =>
        {
            var lang = to == "zh-CN" ? "zh-CN" : "en";
            http.Response.Cookies.Append(LanguageCookie, lang, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
            });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/console");
        }).Public().WithMetadata(ConsoleEndpoint.Instance).ExcludeFromDescription();
        app.MapGet("/console/console.css", () => Results.Text(Css.Value, "text/css; charset=utf-8")).Public().ExcludeFromDescription();
        app.MapRazorPages();
    }

    /// <summary>Only a path on this site (no scheme, no "//host", no backslash tricks) is followed after a switch.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static readonly Lazy<string> Css = new(() =>
    {
        using var stream = typeof(ConsoleSetup).Assembly.GetManifestResourceStream("Bindery.Server.Pages.Shared.console.css")
            ?? throw new InvalidOperationException("console.css is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
