using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Shops;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Shops;

public static class ShopEndpoints
{
    public static void MapShopEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/shops").WithTags("Shops");

        g.MapPost("/", async (ShopInput body, HttpContext http, PolicyCatalog policies, CancellationToken ct) =>
        {
            var (command, errors) = CreateShop.From(body, policies);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Admin).WithName("CreateShop").WithSummary("Register a shop (admin).").Produces<ShopView>(201).ProducesProblem(400).ProducesProblem(409);

        g.MapGet("/", async (HttpContext http, BinderyDb db, int? limit, int? skip, CancellationToken ct) =>
        {
            if (!http.Principal().IsAdmin)
            {
                return Result.Forbidden().ToHttp();
            }
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            var rows = await db.Shops.AsNoTracking()
                .OrderBy(s => s.Id).Skip(Math.Max(skip ?? 0, 0)).Take(take).ToListAsync(ct);
            return Result.Ok(rows.Select(ShopView.From).ToArray()).ToHttp();
        }).Requires(Callers.Admin).WithName("ListShops").WithSummary("List shops by id (admin).").Produces<ShopView[]>();

        g.MapGet("/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var shop = await ShopQueries.Visible(http.Reader(), id, ct);
            return shop is null ? http.NotFound("shop") : Result.Ok(ShopView.From(shop)).ToHttp();
        }).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("GetShop").WithSummary("A shop (admin or its merchant).").Produces<ShopView>().ProducesProblem(404);

        g.MapPatch("/{id}", async (string id, ShopPatch body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = UpdateShop.From(id, body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Admin).WithName("UpdateShop")
            .WithSummary("Change status, e-commerce permission, merchant type or probation (admin); closing and closed go through POST /shops/{id}/closure where the policy has a closure notice (409 use_lifecycle_endpoint), and close the shop at once with its bindings where it has none (DY-L1).")
            .Produces<ShopView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/{id}/bindings", async (string id, string? state, HttpContext http, CancellationToken ct) => (await ShopQueries.ListBindings(id, state, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("ListShopBindings").WithSummary("The shop's bindings, newest first; state=live or a comma list filters.")
            .Produces<BindingView[]>().ProducesProblem(404);

        g.MapGet("/{id}/quotas", async (string id, HttpContext http, CancellationToken ct) => (await ShopQueries.GetQuotas(id, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("GetShopQuotas").WithSummary("Quota counters: used, limit, window and when the next slot frees (TS-Q4, Z-2).")
            .Produces<QuotasView>().ProducesProblem(404);

        g.MapGet("/{id}/inbox", async (string id, HttpContext http, CancellationToken ct) => (await ShopQueries.GetInbox(id, http.Reader(), ct)).ToHttp()).Requires(Callers.Merchant, Permission.BindingsView).WithName("GetShopInbox").WithSummary("Pending items of the shop with who must act and by when (Z-1).")
            .Produces<InboxView>().ProducesProblem(404);

        g.MapGet("/{id}/history", async (string id, long? after, int? limit, string? format, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            if (await ShopQueries.Visible(http.Reader(), id, ct) is null)
            {
                return http.NotFound("shop");
            }
            return await HistoryResult.Answer(http, db, id, null, after, limit, format, ct);
        }).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.HistoryExport).WithName("GetShopHistory").WithSummary("The shop's history, oldest first; format=csv exports it (X-1).")
            .Produces<Page<HistoryView>>().ProducesProblem(404);
    }
}
