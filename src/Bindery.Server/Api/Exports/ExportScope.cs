using System.Globalization;
using Bindery.Persistence;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Exports;

public enum ExportFormat { Csv, Jsonl }

/// <summary>
/// What one export covers, after the caller's tenancy is applied: the admin exports platform-wide or any shop or account;
/// a merchant only its shop (the default; another shop answers 404); a creator only its account (likewise). The time
/// range is half-open, [From, To).
/// </summary>
public sealed record ExportScope(string Kind, string? ShopId, string? AccountId, DateTimeOffset? From, DateTimeOffset? To, ExportFormat Format)
{
    public static async Task<(ExportScope? Scope, IResult? Problem)> Resolve(HttpContext http, BinderyDb db, string kind,
        string? shopId, string? accountId, string? from, string? to, string? format, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fmt = format switch
        {
            null or "csv" => ExportFormat.Csv,
            "jsonl" => ExportFormat.Jsonl,
            _ => (ExportFormat?)null,
        };
        if (fmt is null)
        {
            errors.Add("format", "must be csv or jsonl");
        }
        var start = errors.Instant("from", from);
        var end = errors.Instant("to", to);
        if (start is { } s && end is { } e && e <= s)
        {
            errors.Add("to", "must be later than from (the range is [from, to))");
        }
        if (errors.Any)
        {
            return (null, errors.Problem(http.Lang()));
        }

        var p = http.Principal();
        switch (p.Kind)
        {
            case PrincipalKind.Merchant:
                shopId ??= p.ShopId;
                if (shopId is null || !p.ActsForShop(shopId))
                {
                    return (null, http.NotFound("shop"));
                }
                break;
            case PrincipalKind.Creator:
                accountId ??= p.AccountId;
                if (accountId is null || !p.ActsForAccount(accountId))
                {
                    return (null, http.NotFound("account"));
                }
                break;
            default:
                // Only the admin learns whether another tenant's shop or account exists.
                if (shopId is not null && !await db.Shops.AnyAsync(x => x.Id == shopId, ct))
                {
                    return (null, http.NotFound("shop"));
                }
                if (accountId is not null && !await db.Accounts.AnyAsync(x => x.Id == accountId, ct))
                {
                    return (null, http.NotFound("account"));
                }
                break;
        }
        return (new ExportScope(kind, shopId, accountId, start, end, fmt!.Value), null);
    }

    /// <summary>e.g. <c>bindery-history-shop-s1-from-20260301T000000Z.csv</c> (ids are letters, digits, '-', '_', '.').</summary>
    public string FileName
    {
        get
        {
            var name = "bindery-" + Kind;
            if (ShopId is not null)
            {
                name += "-shop-" + ShopId;
            }
            if (AccountId is not null)
            {
                name += "-account-" + AccountId;
            }
            if (From is { } f)
            {
                name += "-from-" + Compact(f);
            }
            if (To is { } t)
            {
                name += "-to-" + Compact(t);
            }
            return name + (Format == ExportFormat.Csv ? ".csv" : ".jsonl");
        }
    }

    private static string Compact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
