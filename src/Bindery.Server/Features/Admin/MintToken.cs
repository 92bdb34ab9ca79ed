using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Admin;

public sealed record TokenInput(string? Kind, string? ShopId, string? AccountId, string? Name, string? ExpiresIn);

public sealed record TokenView(string Id, string Kind, string? ShopId, string? AccountId, string Name, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static TokenView From(TokenRow t) => new(t.Id, t.Kind, t.ShopId, t.AccountId, t.Name, t.CreatedAt, t.ExpiresAt, t.RevokedAt);
}

/// <summary>The minted secret, shown once; only its hash is stored.</summary>
public sealed record MintedToken(string? Token, TokenView Details) : IReplayRedacted
{
    /// <summary>An idempotent replay never shows the secret again: it is not kept anywhere, not even for replays.</summary>
    public object ForReplay() => this with { Token = null };
}

/// <summary>What a token or login stands for: a principal kind, or "sub" (an account acting for a shop's main account, DY-D4).</summary>
public static class CredentialKinds
{
    public static readonly string[] All = ["admin", "reviewer", "support", "merchant", "creator", "sub"];

    /// <summary>Validates kind with its shopId/accountId; returns the stored (kind, shopId, accountId).</summary>
    public static (string Kind, string? ShopId, string? AccountId) Check(FieldErrors e, string? kind, string? shopId, string? accountId)
    {
        var k = kind?.Trim().ToLowerInvariant();
        if (k is null || !All.Contains(k, StringComparer.Ordinal))
        {
            e.Add("kind", "must be one of: " + string.Join(", ", All));
            return ("", null, null);
        }
        if (k is "merchant" or "sub" && shopId is null)
        {
            e.Add("shopId", $"is required for kind {k}");
        }
        if (k is "creator" or "sub" && accountId is null)
        {
            e.Add("accountId", $"is required for kind {k}");
        }
        return (k, k is "merchant" or "sub" ? shopId : null, k is "creator" or "sub" ? accountId : null);
    }

    /// <summary>The shop, account and (for a sub) the live delegation a credential names must exist.</summary>
    public static async Task<Result?> Refusal(WriteContext ctx, string kind, string? shopId, string? accountId, CancellationToken ct)
    {
        if (shopId is not null && !await ctx.Db.Shops.AnyAsync(s => s.Id == shopId, ct))
        {
            return Result.NotFound("shop");
        }
        if (accountId is not null && !await ctx.Db.Accounts.AnyAsync(a => a.Id == accountId, ct))
        {
            return Result.NotFound("account");
        }
        if (kind == "sub" && await PrincipalResolver.LiveDelegation(ctx.Db, shopId!, accountId!, ct) is null)
        {
            return new RefusedResult("no_delegation", new Say(
                $"Account {accountId} holds no live authorization from the main account of shop {shopId} ({RuleCatalog.SubAccountPermissions.Id}).",
                $"账号 {accountId} 未持有店铺 {shopId} 主账号的有效授权（{RuleCatalog.SubAccountPermissions.Id}）。"))
            {
                RuleIds = [RuleCatalog.SubAccountPermissions.Id],
            };
        }
        return null;
    }
}

/// <summary>The admin mints a bearer token for staff, a merchant (one shop), a sub account (for one shop's main account) or a creator.</summary>
public sealed record MintToken(string Kind, string? ShopId, string? AccountId, string Name, TimeSpan? ExpiresIn, string? Secret = null) : IWriteCommand
{
    public MintToken(PrincipalKind kind, string? shopId, string? accountId, string name, TimeSpan? expiresIn, string? secret = null)
        : this(kind.ToString().ToLowerInvariant(), shopId, accountId, name, expiresIn, secret)
    {
    }

    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    public static (MintToken? Command, FieldErrors Errors) From(TokenInput input)
    {
        var e = new FieldErrors();
        var (kind, shopId, accountId) = CredentialKinds.Check(e, input.Kind, input.ShopId, input.AccountId);
        // A token lives at least a minute (a shorter one is dead on arrival) and at most MaxLifetime; none: until revoked.
        var expires = e.Duration("expiresIn", input.ExpiresIn, MinLifetime, MaxLifetime, "P30D");
        if (input.Name is { Length: > 200 })
        {
            e.Add("name", "at most 200 characters");
        }
        return e.Any ? (null, e) : (new MintToken(kind, shopId, accountId, input.Name ?? $"{kind} token", expires), e);
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
        var secret = Secret ?? Tokens.NewSecret();
        var row = new TokenRow
        {
            Id = Ids.New("tok"),
            Hash = Tokens.Hash(secret),
            Kind = Kind,
            ShopId = ShopId,
            AccountId = AccountId,
            Name = Name,
            CreatedAt = ctx.Now,
            ExpiresAt = ExpiresIn is { } d ? ctx.Now + d : null,
        };
        ctx.Db.Tokens.Add(row);
        var view = TokenView.From(row);
        ctx.Record("token", row.Id, "token.minted", ShopId, AccountId, null, view);
        return Result.Created(new MintedToken(secret, view), $"/api/v1/tokens/{row.Id}");
    }
}

/// <summary>The admin revokes a token; it stops working at once.</summary>
public sealed record RevokeToken(string Id) : IWriteCommand, IChangesAccess
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var row = await ctx.Db.Tokens.SingleOrDefaultAsync(t => t.Id == Id, ct);
        if (row is null)
        {
            return Result.NotFound("token");
        }
        var before = TokenView.From(row);
        row.RevokedAt ??= ctx.Now;
        ctx.Record("token", row.Id, "token.revoked", row.ShopId, row.AccountId, before, TokenView.From(row));
        return Result.Ok(TokenView.From(row));
    }
}
