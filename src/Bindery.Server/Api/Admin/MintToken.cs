using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Admin;

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

/// <summary>The admin mints a bearer token for a merchant (one shop), a creator (one account) or another admin.</summary>
public sealed record MintToken(PrincipalKind Kind, string? ShopId, string? AccountId, string Name, TimeSpan? ExpiresIn, string? Secret = null) : IWriteCommand
{
    public static (MintToken? Command, FieldErrors Errors) From(TokenInput input)
    {
        var e = new FieldErrors();
        PrincipalKind kind = default;
        if (input.Kind is null || !Enum.TryParse(input.Kind, ignoreCase: true, out kind) || !Enum.IsDefined(kind))
        {
            e.Add("kind", "must be one of: admin, merchant, creator");
        }
        if (kind == PrincipalKind.Merchant && input.ShopId is null)
        {
            e.Add("shopId", "is required for a merchant token");
        }
        if (kind == PrincipalKind.Creator && input.AccountId is null)
        {
            e.Add("accountId", "is required for a creator token");
        }
        TimeSpan? expires = null;
        if (input.ExpiresIn is not null)
        {
            if (IsoDuration.TryParse(input.ExpiresIn, out var d) && d > TimeSpan.Zero)
            {
                expires = d;
            }
            else
            {
                e.Add("expiresIn", "must be an exact ISO 8601 duration such as P30D");
            }
        }
        if (input.Name is { Length: > 200 })
        {
            e.Add("name", "at most 200 characters");
        }
        return e.Any
            ? (null, e)
            : (new MintToken(kind, kind == PrincipalKind.Merchant ? input.ShopId : null, kind == PrincipalKind.Creator ? input.AccountId : null,
                input.Name ?? $"{kind.ToString().ToLowerInvariant()} token", expires), e);
    }

    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        if (ShopId is not null && !await ctx.Db.Shops.AnyAsync(s => s.Id == ShopId, ct))
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "shop"));
        }
        if (AccountId is not null && !await ctx.Db.Accounts.AnyAsync(a => a.Id == AccountId, ct))
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "account"));
        }
        var secret = Secret ?? Tokens.NewSecret();
        var row = new TokenRow
        {
            Id = Ids.New("tok"),
            Hash = Tokens.Hash(secret),
            Kind = Kind.ToString().ToLowerInvariant(),
            ShopId = ShopId,
            AccountId = AccountId,
            Name = Name,
            CreatedAt = ctx.Now,
            ExpiresAt = ExpiresIn is { } d ? ctx.Now + d : null,
        };
        ctx.Db.Tokens.Add(row);
        var view = TokenView.From(row);
        ctx.Record("token", row.Id, "token.minted", ShopId, AccountId, null, view);
        return Outcome.Created(new MintedToken(secret, view), $"/api/v1/tokens/{row.Id}");
    }
}

/// <summary>The admin revokes a token; it stops working at once.</summary>
public sealed record RevokeToken(string Id) : IWriteCommand
{
    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        var row = await ctx.Db.Tokens.SingleOrDefaultAsync(t => t.Id == Id, ct);
        if (row is null)
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "token"));
        }
        var before = TokenView.From(row);
        row.RevokedAt ??= ctx.Now;
        ctx.Record("token", row.Id, "token.revoked", row.ShopId, row.AccountId, before, TokenView.From(row));
        return Outcome.Ok(TokenView.From(row));
    }
}
