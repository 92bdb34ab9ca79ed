using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Applications;
using Bindery.Server.Features.Shops;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Bulk;

/// <summary>
/// Z-3: imports shops (admin). Each item is validated by <see cref="CreateShop.From"/> and staged by
/// <see cref="CreateShop.Stage"/>; what <see cref="CreateShop.Run"/> checks one query at a time (id free, main account
/// exists) is checked against the batch's ids and main accounts loaded in two queries, written once by <see cref="StagedInserts"/>. An item
/// whose id is already stored with the same data is <c>exists</c>; with other data, a conflict. An item without an id
/// cannot be recognised again, so re-running it creates another shop: give ids to make an import repeatable.
/// </summary>
public sealed record BulkCreateShops(IReadOnlyList<ShopInput?> Items) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var parsed = Items.Select(i => i is null ? default((CreateShop? Command, FieldErrors? Errors)) : CreateShop.From(i, ctx.Policies)).ToArray();
        var ids = parsed.Select(p => p.Command?.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var mains = parsed.Select(p => p.Command?.MainAccountId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var byId = await ctx.Db.Shops.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, StringComparer.Ordinal, ct);
        var accounts = (await ctx.Db.Accounts.AsNoTracking().Where(a => mains.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);

        var results = new List<BulkItemResult>(Items.Count);
        for (var i = 0; i < parsed.Length; i++)
        {
            var (command, errors) = parsed[i];
            if (command is null)
            {
                results.Add(BulkItemResult.Fail(i, errors is null ? BulkLimits.MissingItem : errors.ToResult()));
                continue;
            }
            if (command.Id is { } id && byId.TryGetValue(id, out var stored))
            {
                var differ = Differences(command.ToRow(id, stored.CreatedAt), stored);
                results.Add(differ.Count == 0
                    ? new BulkItemResult(i, BulkItemResult.Exists, id)
                    : BulkItemResult.Fail(i, Result.Conflict(
                        $"A shop with id '{id}' already exists with different data ({string.Join(", ", differ)}).",
                        $"ID 为 '{id}' 的店铺已存在，但数据不同（{string.Join("、", differ)}）。")));
                continue;
            }
            if (command.MainAccountId is { } main && !accounts.Contains(main))
            {
                results.Add(BulkItemResult.Fail(i, Result.Invalid("mainAccountId", "no account with this id")));
                continue;
            }
            var row = command.ToRow(command.Id ?? Ids.New("shop"), ctx.Now);
            CreateShop.Stage(ctx, row);
            byId[row.Id] = row;
            results.Add(new BulkItemResult(i, BulkItemResult.Created, row.Id));
        }
        // Saved once for the whole request, in the pipeline's transaction (committed with the idempotent answer).
        await StagedInserts.Flush(ctx.Db, ct);
        return Result.Ok(BulkResponse.Of(results));
    }

    /// <summary>The fields an import row sets that differ from the stored shop.</summary>
    private static List<string> Differences(ShopRow wanted, ShopRow stored)
    {
        var differ = new List<string>();
        void Check(bool same, string field)
        {
            if (!same)
            {
                differ.Add(field);
            }
        }
        Check(string.Equals(wanted.Name, stored.Name, StringComparison.Ordinal), "name");
        Check(string.Equals(wanted.PolicyId, stored.PolicyId, StringComparison.Ordinal), "policyId");
        Check(string.Equals(wanted.Country, stored.Country, StringComparison.Ordinal), "country");
        Check(wanted.MerchantType == stored.MerchantType, "merchantType");
        Check(wanted.Kind == stored.Kind, "kind");
        Check(wanted.ProbationEndsAt == stored.ProbationEndsAt, "probationEndsAt");
        Check(wanted.Status == stored.Status, "status");
        Check(wanted.EcommercePermission == stored.EcommercePermission, "ecommercePermission");
        Check(string.Equals(wanted.MainAccountId, stored.MainAccountId, StringComparison.Ordinal), "mainAccountId");
        Check(string.Equals(wanted.PaymentAccount, stored.PaymentAccount, StringComparison.Ordinal), "paymentAccount");
        return differ;
    }
}
