using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Api.Admin;
using Bindery.Server.Infrastructure;
using Bindery.Server.Writes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Api.Access;

public sealed record LoginInput(string? Username, string? Password, string? Kind, string? ShopId, string? AccountId);

public sealed record LoginView(string Id, string Username, string Kind, string? ShopId, string? AccountId, DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt, DateTimeOffset? LockedUntil, DateTimeOffset? LastSignInAt)
{
    public static LoginView From(LoginRow l) => new(l.Id, l.Username, l.Kind, l.ShopId, l.AccountId, l.CreatedAt, l.DisabledAt, l.LockedUntil, l.LastSignInAt);
}

public sealed record SignInInput(string? Username, string? Password);

/// <summary>Who the caller is, as every scheme (token, JWT, cookie) resolves it.</summary>
public sealed record MeView(string Kind, string Name, string? ShopId, string? AccountId, string? SubAccountId, string? MainAccountId,
    string[] Permissions, string AuthenticatedBy)
{
    public static MeView From(Principal p, string by) => new(
        p.IsSub ? "sub" : p.Kind.ToString().ToLowerInvariant(), p.Name, p.ShopId, p.AccountId, p.SubAccountId, p.MainAccountId,
        p.Kind == PrincipalKind.Merchant
            ? (p.Permissions ?? Enum.GetValues<Permission>().ToHashSet()).Select(Infrastructure.Access.Wire).Order(StringComparer.Ordinal).ToArray()
            : [],
        by);
}

/// <summary>The admin creates a username/password login mapped to a principal; only a PBKDF2 hash of the password is kept.</summary>
public sealed partial record CreateLogin(string Username, [property: JsonIgnore] string PasswordHash, string Kind, string? ShopId, string? AccountId) : IWriteCommand
{
    public const int MinPasswordLength = 10;

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();

    public static (CreateLogin? Command, FieldErrors Errors) From(LoginInput input)
    {
        var e = new FieldErrors();
        var username = Normalize(input.Username ?? "");
        if (!UsernamePattern().IsMatch(username))
        {
            e.Add("username", "is required: 3 to 64 of a-z, 0-9, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (input.Password is not { Length: >= MinPasswordLength and <= 200 })
        {
            e.Add("password", $"is required: {MinPasswordLength} to 200 characters");
        }
        var (kind, shopId, accountId) = CredentialKinds.Check(e, input.Kind, input.ShopId, input.AccountId);
        // Hashed here, outside the write gate: PBKDF2 is slow on purpose.
        return e.Any ? (null, e) : (new CreateLogin(username, Passwords.Hash(input.Password!), kind, shopId, accountId), e);
    }

    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        if (await CredentialKinds.Refusal(ctx, Kind, ShopId, AccountId, ct) is { } refused)
        {
            return refused;
        }
        if (await ctx.Db.Logins.AnyAsync(l => l.Username == Username, ct))
        {
            return Outcome.Problem(Problems.Make(409, "username_taken", ctx.Lang));
        }
        var row = new LoginRow
        {
            Id = Ids.New("lgn"),
            Username = Username,
            PasswordHash = PasswordHash,
            Kind = Kind,
            ShopId = ShopId,
            AccountId = AccountId,
            CreatedAt = ctx.Now,
        };
        ctx.Db.Logins.Add(row);
        var view = LoginView.From(row);
        ctx.Record("login", row.Id, "login.created", ShopId, AccountId, null, view);
        return Outcome.Created(view, $"/api/v1/logins/{row.Id}");
    }
}

/// <summary>The admin disables a login: it cannot sign in, and its open sessions end at their next request.</summary>
public sealed record DisableLogin(string Id) : IWriteCommand, IChangesAccess
{
    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        var row = await ctx.Db.Logins.SingleOrDefaultAsync(l => l.Id == Id, ct);
        if (row is null)
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "login"));
        }
        var before = LoginView.From(row);
        row.DisabledAt ??= ctx.Now;
        ctx.Record("login", row.Id, "login.disabled", row.ShopId, row.AccountId, before, LoginView.From(row));
        return Outcome.Ok(LoginView.From(row));
    }
}

/// <summary>
/// Records a sign-in attempt whose password was checked outside the write gate: a wrong password counts towards the
/// lockout (and commits although refused); a locked or disabled login is refused even with the right password.
/// </summary>
public sealed record RecordSignIn(string LoginId, bool PasswordMatched, int MaxFailures, TimeSpan LockFor) : IWriteCommand
{
    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        var row = await ctx.Db.Logins.SingleOrDefaultAsync(l => l.Id == LoginId, ct);
        if (row is null || row.DisabledAt is not null)
        {
            return Outcome.Problem(Problems.Make(401, "sign_in_failed", ctx.Lang));
        }
        if (row.LockedUntil is { } locked && locked > ctx.Now)
        {
            return Locked(ctx, locked);
        }
        if (!PasswordMatched)
        {
            row.FailedAttempts++;
            if (row.FailedAttempts >= MaxFailures)
            {
                row.FailedAttempts = 0;
                row.LockedUntil = ctx.Now + LockFor;
                ctx.Record("login", row.Id, "login.locked", row.ShopId, row.AccountId, null,
                    new { username = row.Username, lockedUntil = row.LockedUntil, after = MaxFailures });
                return Locked(ctx, row.LockedUntil.Value) with { CommitsChanges = true };
            }
            return Outcome.Problem(Problems.Make(401, "sign_in_failed", ctx.Lang)) with { CommitsChanges = true };
        }
        row.FailedAttempts = 0;
        row.LockedUntil = null;
        row.LastSignInAt = ctx.Now;
        ctx.Record("login", row.Id, "login.signed_in", row.ShopId, row.AccountId, null, new { username = row.Username });
        return Outcome.Ok(LoginView.From(row));
    }

    private static Outcome Locked(WriteContext ctx, DateTimeOffset until) =>
        Outcome.Problem(Problems.Make(423, "login_locked", ctx.Lang) with
        {
            Extensions = new Dictionary<string, object> { ["lockedUntil"] = until },
        });
}

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
        logins.MapGet("/", async (BinderyDb db, CancellationToken ct) =>
                Outcome.Ok((await db.Logins.AsNoTracking().OrderBy(l => l.Username).ToListAsync(ct)).Select(LoginView.From).ToArray()))
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

        api.MapGet("/me", (HttpContext http) =>
                Outcome.Ok(MeView.From(http.Principal(), http.Request.Headers.ContainsKey("Authorization") ? "bearer" : "cookie")))
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
        var (refusal, principal, loginId) = await PasswordSignIn.Verify(body.Username!, body.Password!, http, db, pipeline, resolver, options.Value, ct);
        if (principal is null)
        {
            return refusal!;
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PrincipalClaims.Identity(principal, CookieAuthenticationDefaults.AuthenticationScheme, loginId));
        return Outcome.Ok(MeView.From(principal, "cookie"));
    }
}

/// <summary>
/// Password verification and lockout, shared by the API's <c>POST /sessions</c> and the web console's sign-in form:
/// the hash is checked outside the write gate, the attempt recorded through the pipeline (lockout), and the login's
/// principal resolved. Either a principal and its login id, or the refusal (401 sign_in_failed, 423 login_locked).
/// </summary>
public static class PasswordSignIn
{
    public static async Task<(Outcome? Refusal, Principal? Principal, string? LoginId)> Verify(string username, string password, HttpContext http,
        BinderyDb db, WritePipeline pipeline, PrincipalResolver resolver, BinderyOptions options, CancellationToken ct)
    {
        var name = CreateLogin.Normalize(username);
        var login = await db.Logins.AsNoTracking().SingleOrDefaultAsync(l => l.Username == name, ct);
        // Verified outside the write gate (PBKDF2 is slow on purpose); an unknown name costs the same time.
        var matched = Passwords.Verify(password, login?.PasswordHash);
        if (login is null)
        {
            return (Outcome.Problem(Problems.Make(401, "sign_in_failed", http.Lang())), null, null);
        }
        var signIn = options.SignIn;
        var actor = new Actor(new Principal(PrincipalKind.Support, null, null, "sign-in"), http.Connection.RemoteIpAddress?.ToString(), null, http.Lang())
        {
            Label = "login:" + login.Username,
        };
        var outcome = await pipeline.Execute(new RecordSignIn(login.Id, matched, Math.Max(1, signIn.MaxFailures), signIn.LockFor), actor, null, ct);
        if (!outcome.IsSuccess)
        {
            return (outcome, null, null);
        }
        var principal = await resolver.FromLogin(login.Id, ct);
        // e.g. a sub-account login whose authorization has been revoked.
        return principal is null ? (Outcome.Problem(Problems.Make(401, "sign_in_failed", http.Lang())), null, null) : (null, principal, login.Id);
    }
}
