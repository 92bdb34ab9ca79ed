using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// The kinds of caller. Admin, Reviewer and Support are platform staff (they work on every tenant, limited by what
/// each endpoint declares); a Merchant acts for one shop (as its main account, or as a sub account with a permission
/// set, DY-D4); a Creator acts for one account.
/// </summary>
public enum PrincipalKind { Admin, Merchant, Creator, Reviewer, Support }

/// <summary>Who is calling: staff, the merchant of one shop (main or sub account), or the creator of one account.</summary>
public sealed record Principal(PrincipalKind Kind, string? ShopId, string? AccountId, string TokenId)
{
    /// <summary>DY-D4: the sub account acting for the shop's main account (null: not a sub).</summary>
    public string? SubAccountId { get; init; }

    /// <summary>The main account the sub acts for.</summary>
    public string? MainAccountId { get; init; }

    /// <summary>What a sub account may do; null = everything the kind allows (a main account, staff, a creator).</summary>
    public IReadOnlySet<Permission>? Permissions { get; init; }

    /// <summary>Staff: the login name, token id or external subject that names the person in history.</summary>
    public string? User { get; init; }

    /// <summary>The stable name used in history and for idempotency keys.</summary>
    public string Name => Kind switch
    {
        PrincipalKind.Admin => "admin",
        PrincipalKind.Merchant when IsSub => $"sub:{SubAccountId} for main:{MainAccountId}",
        PrincipalKind.Merchant => "merchant:" + ShopId,
        PrincipalKind.Reviewer => "reviewer:" + (User ?? TokenId),
        PrincipalKind.Support => "support:" + (User ?? TokenId),
        _ => "creator:" + AccountId,
    };

    /// <summary>For history's on-behalf-of column: whose authority a sub account used.</summary>
    public string? OnBehalfOf => IsSub ? "main:" + MainAccountId : null;

    public bool IsAdmin => Kind == PrincipalKind.Admin;

    public bool IsSub => SubAccountId is not null;

    /// <summary>Platform staff work on every shop and account; which endpoints they may call is declared per endpoint.</summary>
    public bool IsStaff => Kind is PrincipalKind.Admin or PrincipalKind.Reviewer or PrincipalKind.Support;

    /// <summary>The admin holds every staff role.</summary>
    public bool Is(PrincipalKind kind) => IsAdmin || Kind == kind;

    /// <summary>Whether a merchant (main or sub) may use <paramref name="permission"/>; staff and creators never hold shop permissions, the admin all.</summary>
    public bool May(Permission permission) =>
        IsAdmin || (Kind == PrincipalKind.Merchant && (Permissions is null || Permissions.Contains(permission)));

    public bool ActsForShop(string shopId) => IsStaff || (Kind == PrincipalKind.Merchant && string.Equals(ShopId, shopId, StringComparison.Ordinal));

    public bool ActsForAccount(string accountId) => IsStaff || (Kind == PrincipalKind.Creator && string.Equals(AccountId, accountId, StringComparison.Ordinal));

    /// <summary>A caller not signed in (yet): acts for no shop and no account, so every other tenant's name is withheld.</summary>
    public static readonly Principal Anonymous = new(PrincipalKind.Creator, null, null, "anonymous");

    /// <summary>The signed-in caller, or <see cref="Anonymous"/>.</summary>
    public static Principal OrAnonymous(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? From(user) : Anonymous;

    public static Principal From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? PrincipalClaims.Read(user) ?? throw new InvalidOperationException("no Bindery principal in the claims")
            : throw new InvalidOperationException("no authenticated principal");
}

/// <summary>
/// The "bindery:*" claims every authentication scheme (bearer token, JWT, cookie) carries, so the API and the web
/// console read one principal whatever signed the caller in.
/// </summary>
public static class PrincipalClaims
{
    public const string Kind = "bindery:kind";
    public const string Shop = "bindery:shop";
    public const string Account = "bindery:account";
    public const string Token = "bindery:token";
    public const string Sub = "bindery:sub";
    public const string Main = "bindery:main";
    public const string Permissions = "bindery:permissions";
    public const string User = "bindery:user";
    public const string Login = "bindery:login";

    public static List<Claim> Of(Principal p, string? loginId = null)
    {
        var claims = new List<Claim> { new(Kind, p.Kind.ToString()), new(Token, p.TokenId), new(ClaimTypes.Name, p.Name) };
        void Add(string type, string? value)
        {
            if (value is not null)
            {
                claims.Add(new Claim(type, value));
            }
        }
        Add(Shop, p.ShopId);
        Add(Account, p.AccountId);
        Add(Sub, p.SubAccountId);
        Add(Main, p.MainAccountId);
        Add(User, p.User);
        Add(Login, loginId);
        if (p.Permissions is not null)
        {
            claims.Add(new Claim(Permissions, string.Join(' ', p.Permissions.Select(PermissionNames.Wire).Order(StringComparer.Ordinal))));
        }
        return claims;
    }

    public static ClaimsPrincipal Identity(Principal p, string scheme, string? loginId = null) =>
        new(new ClaimsIdentity(Of(p, loginId), scheme, ClaimTypes.Name, null));

    public static Principal? Read(ClaimsPrincipal user)
    {
        if (!Enum.TryParse<PrincipalKind>(user.FindFirstValue(Kind), out var kind) || !Enum.IsDefined(kind))
        {
            return null;
        }
        IReadOnlySet<Permission>? permissions = null;
        if (user.FindFirstValue(Permissions) is { } list)
        {
            permissions = PermissionNames.ParseList(list);
        }
        return new Principal(kind, user.FindFirstValue(Shop), user.FindFirstValue(Account), user.FindFirstValue(Token) ?? "")
        {
            SubAccountId = user.FindFirstValue(Sub),
            MainAccountId = user.FindFirstValue(Main),
            Permissions = permissions,
            User = user.FindFirstValue(User),
        };
    }
}

public static class Tokens
{
    /// <summary>Tokens are stored as SHA-256 hashes only; the secret is shown once, when minted.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewSecret() => "bdy_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The web console's sign-in by token (ADR 0015): the same principal the bearer handler would build, as the console
/// cookie's claims, and the check that keeps a console session alive only while its token is.
/// </summary>
public static class TokenIdentity
{
    public const string ConfigTokenId = "config";

    /// <summary>The identity of a token (the configured admin token, or a minted one not revoked nor expired), else null.</summary>
    public static async Task<ClaimsIdentity?> Resolve(string token, BinderyOptions options, PrincipalResolver resolver, string scheme, CancellationToken ct)
    {
        var admin = options.AdminToken;
        var principal = admin is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(admin))
            ? new Principal(PrincipalKind.Admin, null, null, ConfigTokenId)
            : await resolver.FromToken(token, ct);
        return principal is null ? null : (ClaimsIdentity)PrincipalClaims.Identity(principal, scheme).Identity!;
    }

    /// <summary>A signed-in principal stays valid while its token does (a revoked token ends console sessions too).</summary>
    public static async Task<bool> StillValid(ClaimsPrincipal user, BinderyDb db, DateTimeOffset now, CancellationToken ct)
    {
        var tokenId = user.FindFirstValue(PrincipalClaims.Token);
        if (tokenId is null)
        {
            return false;
        }
        if (tokenId == ConfigTokenId)
        {
            return true;
        }
        var row = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, ct);
        return row is not null && row.RevokedAt is null && (row.ExpiresAt is not { } exp || exp > now);
    }
}
