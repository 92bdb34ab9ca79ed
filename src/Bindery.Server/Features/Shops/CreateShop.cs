using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Shops;

public sealed record ShopInput(
    string? Id, string? Name, string? PolicyId, string? Country, string? MerchantType, string? Kind,
    string? ProbationEndsAt, string? Status, bool? EcommercePermission, string? MainAccountId = null, string? PaymentAccount = null);

/// <summary>
/// Admin registers a shop (its id may be chosen by the caller). It may be registered closed (it has no bindings and
/// can get none, TS-E5), never closing: that status comes with the closure notice (DY-L1).
/// </summary>
public sealed record CreateShop(
    string? Id, string Name, string PolicyId, string Country, MerchantType MerchantType, ShopKind Kind,
    DateTimeOffset? ProbationEndsAt, ShopStatus Status, bool EcommercePermission, string? MainAccountId = null, string? PaymentAccount = null)
    : IWriteCommand
{
    public static (CreateShop? Command, FieldErrors Errors) From(ShopInput input, PolicyCatalog policies)
    {
        var e = new FieldErrors();
        var id = e.Id("id", input.Id, required: false);
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            e.Add("name", "is required, at most 200 characters");
        }
        var policyId = input.PolicyId ?? "tiktok-shop";
        if (!policies.TryGet(policyId, out var policy))
        {
            e.Add("policyId", $"must be one of: {string.Join(", ", policies.All.Select(p => p.Id))}");
        }
        else if (policy.MainAccount is not null && input.MainAccountId is null)
        {
            e.Add("mainAccountId", "is required: a shop under this policy has exactly one main account (DY-M1)");
        }
        e.Id("mainAccountId", input.MainAccountId, required: false);
        if (input.PaymentAccount is { Length: 0 or > 100 })
        {
            e.Add("paymentAccount", "1 to 100 characters");
        }
        var country = e.Country("country", input.Country, required: true);
        var merchantType = e.Enum<MerchantType>("merchantType", input.MerchantType, required: true);
        var kind = e.Enum<ShopKind>("kind", input.Kind, required: false, ShopKind.Business);
        var probation = e.Instant("probationEndsAt", input.ProbationEndsAt);
        var status = e.Enum<ShopStatus>("status", input.Status, required: false, ShopStatus.Normal);
        if (status == ShopStatus.Closing)
        {
            // DY-L1: "closing" comes with a notice and its closesAt; a registered shop publishes it itself.
            e.Add("status", "cannot be closing when the shop is registered: register it, then publish its closure notice with POST /api/v1/shops/{id}/closure (DY-L1)");
        }
        return e.Any
            ? (null, e)
            : (new CreateShop(id, input.Name!.Trim(), policyId, country!, merchantType!.Value, kind!.Value, probation, status!.Value,
                input.EcommercePermission ?? true, input.MainAccountId, input.PaymentAccount), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        // Generated here, not when the request is read, so that a retry with the same Idempotency-Key is the same command (Z-3).
        var id = Id ?? Ids.New("shop");
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        if (await ctx.Db.Shops.AnyAsync(s => s.Id == id, ct))
        {
            return Result.Conflict($"A shop with id '{id}' already exists.", $"ID 为 '{id}' 的店铺已存在。");
        }
        if (MainAccountId is not null && !await ctx.Db.Accounts.AnyAsync(a => a.Id == MainAccountId, ct))
        {
            return Result.Invalid("mainAccountId", "no account with this id");
        }
        return Stage(ctx, ToRow(id, ctx.Now));
    }

    /// <summary>The row this command creates under <paramref name="id"/> (also what a bulk import compares with an existing row, Z-3).</summary>
    public ShopRow ToRow(string id, DateTimeOffset now) => new()
    {
        MainAccountId = MainAccountId,
        PaymentAccount = PaymentAccount ?? "pay-" + id,
        Id = id, Name = Name, PolicyId = PolicyId, Country = Country, MerchantType = MerchantType, Kind = Kind,
        ProbationEndsAt = ProbationEndsAt, Status = Status, EcommercePermission = EcommercePermission, CreatedAt = now,
    };

    /// <summary>Adds the row with its history and event, once the id and main account are checked (here or by a bulk import, Z-3).</summary>
    public static Result Stage(WriteContext ctx, ShopRow row)
    {
        ctx.Db.Shops.Add(row);
        var view = ShopView.From(row);
        ctx.Record("shop", row.Id, "shop.created", row.Id, null, null, view);
        ctx.Emit(EventTypes.ShopCreated, row.Id, row.Id, null, view);
        return Result.Created(view, $"/api/v1/shops/{row.Id}");
    }
}
