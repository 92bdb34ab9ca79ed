using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Features.Access;

public sealed record DelegationInput(string? MainAccountId, string? SubAccountId, string[]? Permissions);

public sealed record RevokeDelegationInput(string? Reason);

public sealed record DelegationView(string Id, string MainAccountId, string SubAccountId, string[] Permissions, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason, bool Live)
{
    public static DelegationView From(DelegationRow d) => new(d.Id, d.MainAccountId, d.SubAccountId,
        d.Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries), d.CreatedAt, d.CreatedBy, d.RevokedAt, d.RevokedBy, d.RevokeReason,
        d.RevokedAt is null);
}

/// <summary>
/// DY-D1, DY-D2, DY-D4: a main account authorizes a sub account with a set of permissions. The caller acts for the
/// main account (its creator token, or the main merchant of a shop whose main account it is) or is the admin. Both
/// accounts must be certified enterprise accounts in normal status at this instant. Many-to-many: one sub for many
/// mains, many subs for one main, an account both main and sub; one live authorization per pair.
/// </summary>
public sealed record AuthorizeDelegation(string MainAccountId, string SubAccountId, string Permissions) : IWriteCommand
{
    public static (AuthorizeDelegation? Command, FieldErrors Errors) From(DelegationInput input, bool financeDelegable, Language lang)
    {
        var e = new FieldErrors();
        var main = e.Id("mainAccountId", input.MainAccountId, required: true);
        var sub = e.Id("subAccountId", input.SubAccountId, required: true);
        if (main is not null && main == sub)
        {
            e.Add("subAccountId", "must differ from mainAccountId: an account cannot authorize itself");
        }
        var allowed = PermissionNames.Delegable(financeDelegable);
        var chosen = new List<Permission>();
        if (input.Permissions is not { Length: > 0 })
        {
            e.Add("permissions", "give at least one of: " + string.Join(", ", allowed.Select(PermissionNames.Wire).Order(StringComparer.Ordinal)));
        }
        foreach (var name in input.Permissions ?? [])
        {
            if (!PermissionNames.TryParse(name ?? "", out var p))
            {
                e.Add("permissions", $"'{name}' is not a permission; known: {string.Join(", ", PermissionNames.AllNames)}");
                continue;
            }
            var decision = DelegationRules.CheckPermission(PermissionNames.Wire(p), financeDelegable);
            foreach (var reason in decision.Reasons)
            {
                e.Add("permissions", $"{reason.Message(lang)} ({reason.Rule})");
            }
            if (decision.IsAllowed)
            {
                chosen.Add(p);
            }
        }
        return e.Any ? (null, e) : (new AuthorizeDelegation(main!, sub!, PermissionNames.Format(chosen)), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!await DelegationAccess.ActsForMain(ctx.Db, ctx.Actor.Principal, MainAccountId, ct))
        {
            return Result.NotFound("account");
        }
        var main = await ctx.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == MainAccountId, ct);
        var sub = await ctx.Db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == SubAccountId, ct);
        if (main is null || sub is null)
        {
            return Result.NotFound("account");
        }
        var parties = DelegationRules.CheckParties(main.ToDomain(), sub.ToDomain(), ctx.Now);
        if (!parties.IsAllowed)
        {
            return ctx.Denied(parties);
        }
        var existing = await ctx.Db.Delegations.AsNoTracking()
            .SingleOrDefaultAsync(d => d.MainAccountId == MainAccountId && d.SubAccountId == SubAccountId && d.RevokedAt == null, ct);
        if (existing is not null)
        {
            return new RefusedResult("delegation_exists", null)
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["delegationId"] = existing.Id },
            };
        }
        var row = new DelegationRow
        {
            Id = Ids.New("dlg"),
            MainAccountId = MainAccountId,
            SubAccountId = SubAccountId,
            Permissions = Permissions,
            CreatedAt = ctx.Now,
            CreatedBy = ctx.Actor.Name,
        };
        ctx.Db.Delegations.Add(row);
        var view = DelegationView.From(row);
        ctx.Record("delegation", row.Id, "delegation.authorized", null, MainAccountId, null, view);
        ctx.Record("delegation", row.Id, "delegation.authorized", null, SubAccountId, null, view);
        ctx.Emit(EventTypes.DelegationAuthorized, row.Id, null, SubAccountId, view);
        return Result.Created(view, $"/api/v1/delegations/{row.Id}");
    }
}

/// <summary>DY-D3: support staff (or the admin) revoke an authorization; the sub's credentials stop acting for the main at once.</summary>
public sealed record RevokeDelegation(string Id, string? Reason) : IWriteCommand, IChangesAccess
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.Is(PrincipalKind.Support))
        {
            return Result.Forbidden("Only support staff revoke an authorization (DY-D3).", "只有客服人员才能撤销授权（DY-D3）。");
        }
        var row = await ctx.Db.Delegations.SingleOrDefaultAsync(d => d.Id == Id, ct);
        if (row is null)
        {
            return Result.NotFound("delegation");
        }
        if (row.RevokedAt is not null)
        {
            return Result.Refused("delegation_revoked");
        }
        var before = DelegationView.From(row);
        row.RevokedAt = ctx.Now;
        row.RevokedBy = ctx.Actor.Name;
        row.RevokeReason = Reason;
        var after = DelegationView.From(row);
        ctx.Record("delegation", row.Id, "delegation.revoked", null, row.MainAccountId, before, after);
        ctx.Record("delegation", row.Id, "delegation.revoked", null, row.SubAccountId, before, after);
        ctx.Emit(EventTypes.DelegationRevoked, row.Id, null, row.SubAccountId, after);
        return Result.Ok(after);
    }
}

public static class DelegationAccess
{
    /// <summary>
    /// Whether the caller acts for <paramref name="mainAccountId"/> as a main account: staff, the account's creator, or
    /// a main-account merchant (not a sub) of a shop whose main account it is.
    /// </summary>
    public static async Task<bool> ActsForMain(BinderyDb db, Principal p, string mainAccountId, CancellationToken ct) =>
        p.Kind switch
        {
            PrincipalKind.Admin or PrincipalKind.Support => true,
            PrincipalKind.Creator => p.AccountId == mainAccountId,
            PrincipalKind.Merchant when !p.IsSub && p.ShopId is not null =>
                await db.Shops.AsNoTracking().AnyAsync(s => s.Id == p.ShopId && s.MainAccountId == mainAccountId, ct),
            _ => false,
        };

    /// <summary>Whether the caller may see delegations of <paramref name="accountId"/> (as main, or as its own sub account).</summary>
    public static async Task<bool> Sees(BinderyDb db, Principal p, string accountId, CancellationToken ct) =>
        await ActsForMain(db, p, accountId, ct);

}

public sealed record AccountDelegationsView(string AccountId, DelegationView[] AsMain, DelegationView[] AsSub);
