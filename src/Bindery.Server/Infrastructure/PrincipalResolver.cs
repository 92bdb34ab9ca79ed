using System.Collections.Concurrent;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// Turns a bearer token, a login or an external JWT into a <see cref="Principal"/>, resolving a sub account's
/// delegation (DY-D4). Verified answers are cached in memory for at most <see cref="MaxAge"/> of service time and
/// never past the token's expiry, so the bearer check does not hit the database on every request; every write that
/// changes who may act (token revoked, delegation revoked, login disabled, main account changed) clears this node's
/// cache when it commits. Another node sees such a change within <see cref="MaxAge"/>.
/// </summary>
public sealed class PrincipalResolver(IDbContextFactory<BinderyDb> dbs, TimeProvider clock, IOptions<BinderyOptions> options)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>Bound on cached principals; past it the cache starts afresh.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);

    private sealed record Entry(Principal Principal, DateTimeOffset CachedAt, DateTimeOffset ValidUntil, string? LoginId);

    /// <summary>Forget every cached principal on this node (after a change to who may act).</summary>
    public void Clear() => cache.Clear();

    public int Count => cache.Count;

    /// <summary>A minted token by its secret (looked up by SHA-256 hash), or null when unknown, expired or revoked.</summary>
    public async ValueTask<Principal?> FromToken(string secret, CancellationToken ct)
    {
        var key = "t:" + Tokens.Hash(secret);
        if (Cached(key) is { } hit)
        {
            return hit.Principal;
        }
        var hash = key[2..];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } exp && exp <= now))
        {
            return null;
        }
        var principal = await Build(db, row.Kind, row.ShopId, row.AccountId, row.Id, row.Id, ct);
        return principal is null ? null : Store(key, principal, now, row.ExpiresAt, null);
    }

    /// <summary>The principal a login maps to (cookie sessions re-check it), or null when disabled or no longer valid.</summary>
    public async ValueTask<Principal?> FromLogin(string loginId, CancellationToken ct)
    {
        var key = "l:" + loginId;
        if (Cached(key) is { } hit)
        {
            return hit.Principal;
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.Logins.AsNoTracking().SingleOrDefaultAsync(l => l.Id == loginId, ct);
        if (row is null || row.DisabledAt is not null)
        {
            return null;
        }
        var principal = await Build(db, row.Kind, row.ShopId, row.AccountId, "login:" + row.Id, row.Username, ct);
        return principal is null ? null : Store(key, principal, clock.GetUtcNow(), null, loginId);
    }

    /// <summary>An external token already verified: maps its claims, caching only what needed the database (a sub account).</summary>
    public async ValueTask<Principal?> FromClaims(string cacheKey, string kind, string? shopId, string? accountId, string user,
        DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var key = "j:" + cacheKey;
        if (Cached(key) is { } hit)
        {
            return hit.Principal;
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var principal = await Build(db, kind, shopId, accountId, "jwt", user, ct);
        return principal is null ? null : Store(key, principal, clock.GetUtcNow(), expiresAt, null);
    }

    private Entry? Cached(string key)
    {
        if (!cache.TryGetValue(key, out var e))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (now >= e.CachedAt && now < e.ValidUntil)
        {
            return e;
        }
        cache.TryRemove(key, out _);
        return null;
    }

    private Principal Store(string key, Principal principal, DateTimeOffset now, DateTimeOffset? expiresAt, string? loginId)
    {
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }
        var until = now + MaxAge;
        if (expiresAt is { } exp && exp < until)
        {
            until = exp;
        }
        cache[key] = new Entry(principal, now, until, loginId);
        return principal;
    }

    /// <summary>
    /// The principal of a token or login row. kind "sub": the account acts for the shop's current main account, with
    /// the permissions of its live delegation (DY-D4) — none, and the credential does not work.
    /// </summary>
    private async Task<Principal?> Build(BinderyDb db, string kind, string? shopId, string? accountId, string tokenId, string user, CancellationToken ct)
    {
        if (string.Equals(kind, "sub", StringComparison.OrdinalIgnoreCase))
        {
            if (shopId is null || accountId is null)
            {
                return null;
            }
            var delegation = await LiveDelegation(db, shopId, accountId, ct);
            if (delegation is null)
            {
                return null;
            }
            var allowed = PermissionNames.Delegable(options.Value.Delegation.FinanceDelegable);
            return new Principal(PrincipalKind.Merchant, shopId, null, tokenId)
            {
                SubAccountId = accountId,
                MainAccountId = delegation.MainAccountId,
                Permissions = PermissionNames.ParseList(delegation.Permissions).Where(allowed.Contains).ToHashSet(),
            };
        }
        if (!Enum.TryParse<PrincipalKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k))
        {
            return null;
        }
        return k switch
        {
            PrincipalKind.Merchant when shopId is null => null,
            PrincipalKind.Creator when accountId is null => null,
            PrincipalKind.Merchant => new Principal(k, shopId, null, tokenId),
            PrincipalKind.Creator => new Principal(k, null, accountId, tokenId),
            _ => new Principal(k, null, null, tokenId) { User = user },
        };
    }

    /// <summary>The live delegation from the shop's main account to <paramref name="subAccountId"/>, if any.</summary>
    public static async Task<DelegationRow?> LiveDelegation(BinderyDb db, string shopId, string subAccountId, CancellationToken ct)
    {
        var main = await db.Shops.AsNoTracking().Where(s => s.Id == shopId).Select(s => s.MainAccountId).SingleOrDefaultAsync(ct);
        if (main is null)
        {
            return null;
        }
        return await db.Delegations.AsNoTracking()
            .SingleOrDefaultAsync(d => d.MainAccountId == main && d.SubAccountId == subAccountId && d.RevokedAt == null, ct);
    }
}
