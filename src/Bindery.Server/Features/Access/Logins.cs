using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Admin;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Features.Access;

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
            ? (p.Permissions ?? Enum.GetValues<Permission>().ToHashSet()).Select(PermissionNames.Wire).Order(StringComparer.Ordinal).ToArray()
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

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        if (await CredentialKinds.Refusal(ctx, Kind, ShopId, AccountId, ct) is { } refused)
        {
            return refused;
        }
        if (await ctx.Db.Logins.AnyAsync(l => l.Username == Username, ct))
        {
            return Result.Refused("username_taken");
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
        return Result.Created(view, $"/api/v1/logins/{row.Id}");
    }
}

/// <summary>The admin disables a login: it cannot sign in, and its open sessions end at their next request.</summary>
public sealed record DisableLogin(string Id) : IWriteCommand, IChangesAccess
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var row = await ctx.Db.Logins.SingleOrDefaultAsync(l => l.Id == Id, ct);
        if (row is null)
        {
            return Result.NotFound("login");
        }
        var before = LoginView.From(row);
        row.DisabledAt ??= ctx.Now;
        ctx.Record("login", row.Id, "login.disabled", row.ShopId, row.AccountId, before, LoginView.From(row));
        return Result.Ok(LoginView.From(row));
    }
}

/// <summary>
/// Records a sign-in attempt whose password was checked outside the write gate: a wrong password counts towards the
/// lockout (and commits although refused); a locked or disabled login is refused even with the right password.
/// </summary>
public sealed record RecordSignIn(string LoginId, bool PasswordMatched, int MaxFailures, TimeSpan LockFor) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var row = await ctx.Db.Logins.SingleOrDefaultAsync(l => l.Id == LoginId, ct);
        if (row is null || row.DisabledAt is not null)
        {
            return Result.Refused("sign_in_failed");
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
            return Result.Refused("sign_in_failed") with { CommitsChanges = true };
        }
        row.FailedAttempts = 0;
        row.LockedUntil = null;
        row.LastSignInAt = ctx.Now;
        ctx.Record("login", row.Id, "login.signed_in", row.ShopId, row.AccountId, null, new { username = row.Username });
        return Result.Ok(LoginView.From(row));
    }

    private static Result Locked(WriteContext ctx, DateTimeOffset until) =>
        new RefusedResult("login_locked", null)
        {
            Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["lockedUntil"] = until },
        };
}

/// <summary>
/// Password verification and lockout, shared by the API's <c>POST /sessions</c> and the web console's sign-in form:
/// the hash is checked outside the write gate, the attempt recorded through the pipeline (lockout), and the login's
/// principal resolved. Either a principal and its login id, or the refusal (401 sign_in_failed, 423 login_locked).
/// </summary>
public static class PasswordSignIn
{
    public static async Task<(Result? Refusal, Principal? Principal, string? LoginId)> Verify(string username, string password, string? clientAddress,
        Language language, BinderyDb db, WritePipeline pipeline, PrincipalResolver resolver, BinderyOptions options, CancellationToken ct)
    {
        var name = CreateLogin.Normalize(username);
        var login = await db.Logins.AsNoTracking().SingleOrDefaultAsync(l => l.Username == name, ct);
        // Verified outside the write gate (PBKDF2 is slow on purpose); an unknown name costs the same time.
        var matched = Passwords.Verify(password, login?.PasswordHash);
        if (login is null)
        {
            return (Result.Refused("sign_in_failed"), null, null);
        }
        var signIn = options.SignIn;
        var actor = new Actor(new Principal(PrincipalKind.Support, null, null, "sign-in"), clientAddress, null, language)
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
        return principal is null ? (Result.Refused("sign_in_failed"), null, null) : (null, principal, login.Id);
    }
}
