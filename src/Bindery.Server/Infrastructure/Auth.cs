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
        var admin = bindery.Value.AdminToken;
        if (admin is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(admin)))
        {
            return Success(PrincipalKind.Admin, null, null, "config");
        }
        var hash = Tokens.Hash(token);
        await using var db = await dbs.CreateDbContextAsync(Context.RequestAborted);
        var row = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } exp && exp <= now)
            || !Enum.TryParse<PrincipalKind>(row.Kind, ignoreCase: true, out var kind))
        {
            return AuthenticateResult.Fail("unknown, expired or revoked token");
        }
        return Success(kind, row.ShopId, row.AccountId, row.Id);
    }

    private AuthenticateResult Success(PrincipalKind kind, string? shop, string? account, string tokenId)
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
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Unauthorized(Lang.Of(Context)));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Forbidden(Lang.Of(Context)));
}
