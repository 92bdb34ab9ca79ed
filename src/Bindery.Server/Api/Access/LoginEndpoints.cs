using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Access;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Api.Access;

public static class LoginEndpoints
{
    public static void MapLoginEndpoints(this RouteGroupBuilder api)
    {
        var logins = api.MapGroup("/logins").WithTags("Sign-in");
        logins.MapPost("/", async (LoginInput body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = CreateLogin.From(body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Admin).WithName("CreateLogin")
            .WithSummary("Create a username/password login for a principal (admin); the password is stored only as a PBKDF2 hash.")
            .Produces<LoginView>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        logins.MapGet("/", async (BinderyDb db, CancellationToken ct) => Result.Ok((await db.Logins.AsNoTracking().OrderBy(l => l.Username).ToListAsync(ct)).Select(LoginView.From).ToArray()).ToHttp())
            .Requires(Callers.Admin).WithName("ListLogins").WithSummary("Logins without their password hashes (admin).").Produces<LoginView[]>();
        logins.MapPost("/{id}/disable", (string id, HttpContext http, CancellationToken ct) => http.Write(new DisableLogin(id), ct))
            .Requires(Callers.Admin).WithName("DisableLogin").WithSummary("Disable a login; its sessions end at their next request (admin).")
            .Produces<LoginView>().ProducesProblem(404);

        var sessions = api.MapGroup("/sessions").WithTags("Sign-in");
        sessions.MapPost("/", SignIn).Public().LimitsSignInAttempts().WithName("SignIn")
            .WithSummary("Sign in with username and password: sets the session cookie (bindery_session). Wrong passwords lock the login for a while.")
            .Produces<MeView>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(423).ProducesProblem(429);
        sessions.MapDelete("/", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        }).Requires(Callers.Anyone).WithName("SignOut").WithSummary("Sign out: the session cookie is removed.").Produces(204);

        api.MapGet("/me", (HttpContext http) => Result.Ok(MeView.From(http.Principal(), http.Request.Headers.ContainsKey("Authorization") ? "bearer" : "cookie")).ToHttp())
            .Requires(Callers.Anyone).WithTags("Sign-in").WithName("WhoAmI")
            .WithSummary("Who the caller is: kind, shop or account, and a sub account's permissions.").Produces<MeView>();
    }

    private static async Task<IResult> SignIn(SignInInput body, HttpContext http, BinderyDb db, WritePipeline pipeline, PrincipalResolver resolver,
        IOptions<BinderyOptions> options, CancellationToken ct)
    {
        var e = new FieldErrors();
        if (string.IsNullOrEmpty(body.Username))
        {
            e.Add("username", "is required");
        }
        if (string.IsNullOrEmpty(body.Password) || body.Password.Length > 200)
        {
            e.Add("password", "is required (at most 200 characters)");
        }
        if (e.Any)
        {
            return e.Problem(http.Lang());
        }
        var (refusal, principal, loginId) = await PasswordSignIn.Verify(body.Username!, body.Password!, http.Connection.RemoteIpAddress?.ToString(), http.Lang(), db, pipeline, resolver, options.Value, ct);
        if (principal is null)
        {
            return refusal!.ToHttp();
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PrincipalClaims.Identity(principal, CookieAuthenticationDefaults.AuthenticationScheme, loginId));
        return Result.Ok(MeView.From(principal, "cookie")).ToHttp();
    }
}
