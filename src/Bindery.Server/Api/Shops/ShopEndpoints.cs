using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
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
                return Outcome.Problem(Problems.Forbidden(http.Lang()));
            }
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            var rows = await db.Shops.AsNoTracking()
                .OrderBy(s => s.Id).Skip(Math.Max(skip ?? 0, 0)).Take(take).ToListAsync(ct);
            return Outcome.Ok(rows.Select(ShopView.From).ToArray());
        }).Requires(Callers.Admin).WithName("ListShops").WithSummary("List shops by id (admin).").Produces<ShopView[]>();

        g.MapGet("/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var shop = await Visible(http, db, id, ct);
            return shop is null ? http.NotFound("shop") : Outcome.Ok(ShopView.From(shop));
        }).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("GetShop").WithSummary("A shop (admin or its merchant).").Produces<ShopView>().ProducesProblem(404);

        g.MapPatch("/{id}", async (string id, ShopPatch body, HttpContext http, CancellationToken ct) =>
        {
            var (command, errors) = UpdateShop.From(id, body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command, ct);
        }).Requires(Callers.Admin).WithName("UpdateShop")
            .WithSummary("Change status, e-commerce permission, merchant type or probation (admin); closing and closed go through POST /shops/{id}/closure where the policy has a closure notice (409 use_lifecycle_endpoint), and close the shop at once with its bindings where it has none (DY-L1).")
            .Produces<ShopView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/{id}/bindings", ListBindings).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.BindingsView).WithName("ListShopBindings").WithSummary("The shop's bindings, newest first; state=live or a comma list filters.")
            .Produces<BindingView[]>().ProducesProblem(404);

        g.MapGet("/{id}/quotas", GetQuotas).Requires(Callers.Merchant | Callers.Support, Permission.BindingsView).WithName("GetShopQuotas").WithSummary("Quota counters: used, limit, window and when the next slot frees (TS-Q4, Z-2).")
            .Produces<QuotasView>().ProducesProblem(404);

        g.MapGet("/{id}/inbox", GetInbox).Requires(Callers.Merchant, Permission.BindingsView).WithName("GetShopInbox").WithSummary("Pending items of the shop with who must act and by when (Z-1).")
            .Produces<InboxView>().ProducesProblem(404);

        g.MapGet("/{id}/history", async (string id, long? after, int? limit, string? format, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            if (await Visible(http, db, id, ct) is null)
            {
                return http.NotFound("shop");
            }
            return await HistoryResult.Answer(http, db, id, null, after, limit, format, ct);
        }).Requires(Callers.Merchant | Callers.Reviewer | Callers.Support, Permission.HistoryExport).WithName("GetShopHistory").WithSummary("The shop's history, oldest first; format=csv exports it (X-1).")
            .Produces<Page<HistoryView>>().ProducesProblem(404);
    }

    /// <summary>The shop's bindings, newest first (also the console's shop overview).</summary>
    internal static async Task<IResult> ListBindings(string id, string? state, HttpContext http, BinderyDb db, PolicyCatalog policies, CancellationToken ct)
    {
        await http.Settle(ct);
        var shop = await Visible(http, db, id, ct);
        if (shop is null)
        {
            return http.NotFound("shop");
        }
        var states = new List<BindingState>();
        foreach (var s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (s == "live")
            {
                states.AddRange([BindingState.Invited, BindingState.Active, BindingState.UnlinkRequested]);
            }
            else if (Wire.TryParse<BindingState>(s, out var parsed))
            {
                states.Add(parsed);
            }
            else
            {
                return http.Invalid("state", $"must be 'live' or one of: {string.Join(", ", Wire.All<BindingState>())} (comma-separated)");
            }
        }
        var rows = await db.Bindings.AsNoTracking()
            .Where(b => b.ShopId == id && (states.Count == 0 || states.Contains(b.State)))
            .OrderByDescending(b => b.InvitedAt).ToListAsync(ct);
        var pending = await db.UnlinkRequests.AsNoTracking().Where(u => u.ShopId == id && u.State == UnlinkState.Pending)
            .ToDictionaryAsync(u => u.BindingId, ct);
        var policy = policies.Get(shop.PolicyId);
        return Outcome.Ok(rows.Select(b => BindingView.From(b, policy, pending.GetValueOrDefault(b.Id))).ToArray());
    }

    /// <summary>TS-Q4 / Z-2 quota counters (also shown by the console).</summary>
    internal static async Task<IResult> GetQuotas(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        var shop = await Visible(http, db, id, ct);
        if (shop is null)
        {
            return http.NotFound("shop");
        }
        var now = clock.GetUtcNow();
        var policy = policies.Get(shop.PolicyId);
        var usage = await RuleInputs.Usage(db, id, policy, now, ct);
        var lang = http.Lang();
        var lines = Quotas.For(shop.ToDomain(), policy, usage, now)
            .Select(q => new QuotaView(q.Name, q.Rule, q.Used, q.Limit, q.Remaining, q.Window, q.NextSlotAt, QuotaText.Describe(q, lang)))
            .ToArray();
        return Outcome.Ok(new QuotasView(id, policy.Id, now, shop.ToDomain().OnProbation(now), shop.ProbationEndsAt, lines));
    }

    /// <summary>Z-1: the shop's pending items (also the console's pending lists).</summary>
    internal static async Task<IResult> GetInbox(string id, HttpContext http, BinderyDb db, PolicyCatalog policies, TimeProvider clock, CancellationToken ct)
    {
        await http.Settle(ct);
        if (await Visible(http, db, id, ct) is null)
        {
            return http.NotFound("shop");
        }
        var now = clock.GetUtcNow();
        return Outcome.Ok(new InboxView("shop:" + id, now, await InboxQuery.Load(db, policies, id, null, now, http.Lang(), ct)));
    }

    /// <summary>The shop, if the caller is the admin or its merchant; otherwise null (answered as 404).</summary>
    internal static async Task<ShopRow?> Visible(HttpContext http, BinderyDb db, string id, CancellationToken ct) =>
        http.Principal().ActsForShop(id) ? await Reads.HotQueries.ShopById(db, id, ct) : null;
}
