using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bindery.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Infrastructure;

public enum PrincipalKind { Admin, Merchant, Creator }

/// <summary>Who is calling: the admin, the merchant of one shop, or the creator of one account.</summary>
public sealed record Principal(PrincipalKind Kind, string? ShopId, string? AccountId, string TokenId)
{
    /// <summary>The stable name used in history and for idempotency keys.</summary>
    public string Name => Kind switch
    {
        PrincipalKind.Admin => "admin",
        PrincipalKind.Merchant => "merchant:" + ShopId,
        _ => "creator:" + AccountId,
    };

    public bool IsAdmin => Kind == PrincipalKind.Admin;

    public bool ActsForShop(string shopId) => IsAdmin || (Kind == PrincipalKind.Merchant && string.Equals(ShopId, shopId, StringComparison.Ordinal));

    public bool ActsForAccount(string accountId) => IsAdmin || (Kind == PrincipalKind.Creator && string.Equals(AccountId, accountId, StringComparison.Ordinal));

    public static Principal From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Enum.TryParse<PrincipalKind>(user.FindFirstValue("bindery:kind"), out var kind)
            ? new Principal(kind, user.FindFirstValue("bindery:shop"), user.FindFirstValue("bindery:account"), user.FindFirstValue("bindery:token") ?? "")
            : throw new InvalidOperationException("no authenticated principal");
}

public static class Tokens
{
    /// <summary>Tokens are stored as SHA-256 hashes only; the secret is shown once, when minted.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewSecret() => "bdy_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

/// <summary>Bearer tokens: the configured admin token, or a minted token looked up by its hash.</summary>
public sealed class TokenAuthHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<BinderyOptions> bindery,
    IDbContextFactory<BinderyDb> dbs,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0)
        {
            return AuthenticateResult.Fail("empty bearer token");
        }
        await using var db = await dbs.CreateDbContextAsync(Context.RequestAborted);
        var identity = await TokenIdentity.Resolve(token, bindery.Value, db, clock.GetUtcNow(), SchemeName, Context.RequestAborted);
        return identity is null
            ? AuthenticateResult.Fail("unknown, expired or revoked token")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Unauthorized(Lang.Of(Context)));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Forbidden(Lang.Of(Context)));
}

/// <summary>
/// A token's "bindery:*" claims, shared by the bearer handler and the console's cookie sign-in (ADR 0015), so a
/// cookie carries exactly what a bearer token would.
/// </summary>
public static class TokenIdentity
{
    public const string ConfigTokenId = "config";

    /// <summary>The identity of a token (the configured admin token, or a minted one not revoked nor expired), else null.</summary>
    public static async Task<ClaimsIdentity?> Resolve(string token, BinderyOptions options, BinderyDb db, DateTimeOffset now, string scheme, CancellationToken ct)
    {
        var admin = options.AdminToken;
        if (admin is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(admin)))
        {
            return Claims(PrincipalKind.Admin, null, null, ConfigTokenId, scheme);
        }
        var hash = Tokens.Hash(token);
        var row = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (row is null || !IsUsable(row, now) || !Enum.TryParse<PrincipalKind>(row.Kind, ignoreCase: true, out var kind))
        {
            return null;
        }
        return Claims(kind, row.ShopId, row.AccountId, row.Id, scheme);
    }

    /// <summary>A signed-in principal stays valid while its token does (a revoked token ends console sessions too).</summary>
    public static async Task<bool> StillValid(ClaimsPrincipal user, BinderyDb db, DateTimeOffset now, CancellationToken ct)
    {
        var tokenId = user.FindFirstValue("bindery:token");
        if (tokenId is null)
        {
            return false;
        }
        if (tokenId == ConfigTokenId)
        {
            return true;
        }
        var row = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, ct);
        return row is not null && IsUsable(row, now);
    }

    private static bool IsUsable(TokenRow row, DateTimeOffset now) => row.RevokedAt is null && (row.ExpiresAt is not { } exp || exp > now);

    public static ClaimsIdentity Claims(PrincipalKind kind, string? shop, string? account, string tokenId, string scheme)
    {
        var claims = new List<Claim> { new("bindery:kind", kind.ToString()), new("bindery:token", tokenId) };
        if (shop is not null)
        {
            claims.Add(new Claim("bindery:shop", shop));
        }
        if (account is not null)
        {
            claims.Add(new Claim("bindery:account", account));
        }
        return new ClaimsIdentity(claims, scheme);
    }
}
