using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// DY-L1 / DY-L2: the statuses the lifecycle owns (a shop's closing and closed, an account's deleting) are reached
/// only through the lifecycle, which ends the bindings; no staff edit, registration or import leaves a closed shop with
/// live bindings, a closing shop without closesAt, or a deleting account without bindingsEndAt.
/// </summary>
public sealed class LifecycleGuardTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly World world;
    private readonly HttpClient admin;

    public LifecycleGuardTests()
    {
        world = new World(factory);
        admin = world.Admin;
    }

    public void Dispose() => factory.Dispose();

    private async Task<HttpClient> DyAccount(string id)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), registrationCountry = "CN", birthDate = "1994-04-04", origin = "douyin", type = "enterprise",
            realNameVerified = true, phone = "+8613800000000",
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    private async Task<HttpClient> DyShop(string id)
    {
        await DyAccount(id + "-boss");
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id, name = "店铺 " + id, policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise", mainAccountId = id + "-boss",
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    private async Task<string> DyBind(HttpClient shop, string shopId, string accountId, string role = "official")
    {
        var creator = await DyAccount(accountId);
        return await world.Bind(shop, shopId, creator, accountId, role);
    }

    /// <summary>409 use_lifecycle_endpoint as application/problem+json, naming the endpoint to use.</summary>
    private static async Task<JsonNode> UseLifecycle(HttpResponseMessage r, string endpoint)
    {
        var problem = await Kit.Problem(r, HttpStatusCode.Conflict, "use_lifecycle_endpoint");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(endpoint, problem["endpoint"].S());
        Assert.Contains(endpoint, problem["detail"].S(), StringComparison.Ordinal);
        return problem;
    }

    [Fact] // DY-L1
    public async Task A_douyin_shop_is_closed_only_through_its_closure_notice_never_by_a_staff_edit()
    {
        var shop = await DyShop("dy1");
        var official = await DyBind(shop, "dy1", "star");

        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "closed" }), "POST /api/v1/shops/dy1/closure");
        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "closing" }), "POST /api/v1/shops/dy1/closure");
        var unchanged = await Kit.Get(admin, "/api/v1/shops/dy1");
        Assert.Equal("normal", unchanged["status"].S());
        Assert.Null(unchanged["closesAt"]);
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{official}"))["state"].S());
        // Statuses the lifecycle does not own still change by an edit.
        await Kit.Expect(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "restricted" }), HttpStatusCode.OK);
        await Kit.Expect(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "normal" }), HttpStatusCode.OK);

        var notice = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { reason = "retiring" }), HttpStatusCode.OK);
        Assert.Equal(("closing", Kit.At(TimeSpan.FromDays(30))), (notice["status"].S(), notice["closesAt"].S()));
        // Under the notice the status changes only through it: withdrawn by its cancel, or closed at its end.
        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "normal" }), "POST /api/v1/shops/dy1/closure/cancel");
        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "closed" }), "POST /api/v1/shops/dy1/closure/cancel");
        Assert.Equal(Kit.At(TimeSpan.FromDays(30)), (await Kit.Get(admin, "/api/v1/shops/dy1"))["closesAt"].S());

        await world.Advance("P30D");
        Assert.Equal("closed", (await Kit.Get(admin, "/api/v1/shops/dy1"))["status"].S());
        var ended = await Kit.Get(shop, $"/api/v1/bindings/{official}");
        Assert.Equal(("ended", "shop_closed"), (ended["state"].S(), ended["endReason"].S()));
        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status = "normal" }), "POST /api/v1/shops/dy1/closure");
        Assert.Equal("closed", (await Kit.Get(admin, "/api/v1/shops/dy1"))["status"].S());
    }

    [Fact] // DY-L1: a policy without a closure notice closes the shop at once, with every binding
    public async Task A_tiktok_shop_closed_by_the_admin_closes_at_once_and_its_bindings_end_now()
    {
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var binding = await world.Bind(shop, "s1", alice, "alice");
        await world.AccountOnly("bob");
        var invitation = await World.Invite(shop, "s1", "bob", "channel");
        factory.Clock.Advance(TimeSpan.FromHours(1));

        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { status = "closing" }), "POST /api/v1/shops/s1/closure");
        var closed = await Kit.Expect(await admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { status = "closed" }), HttpStatusCode.OK);
        Assert.Equal(("closed", Kit.At(TimeSpan.FromHours(1))), (closed["status"].S(), closed["closesAt"].S()));

        var ended = await Kit.Get(shop, $"/api/v1/bindings/{binding}");
        Assert.Equal(("ended", "shop_closed", Kit.At(TimeSpan.FromHours(1))), (ended["state"].S(), ended["endReason"].S(), ended["endedAt"].S()));
        Assert.Equal("cancelled", (await Kit.Get(shop, $"/api/v1/invitations/{invitation}"))["state"].S());
        Assert.Contains(await Kit.Events(admin), e => e["type"].S() == "shop.closed");
    }

    [Fact] // DY-L2
    public async Task An_account_is_deleting_only_through_its_deletion_never_by_a_support_edit()
    {
        var shop = await DyShop("dy1");
        var official = await DyBind(shop, "dy1", "star");
        var support = await new AccessKit(factory).Staff("support");

        await UseLifecycle(await support.PatchAsJsonAsync("/api/v1/accounts/star", new { status = "deleting" }), "POST /api/v1/accounts/star/deletion");
        await UseLifecycle(await admin.Send(HttpMethod.Patch, "/api/v1/accounts/star", new { status = "deleting" }), "POST /api/v1/accounts/star/deletion");
        var unchanged = await Kit.Get(admin, "/api/v1/accounts/star");
        Assert.Equal("normal", unchanged["status"].S());
        Assert.Null(unchanged["bindingsEndAt"]);
        // Other statuses and corrections still work.
        await Kit.Expect(await support.PatchAsJsonAsync("/api/v1/accounts/star", new { status = "restricted" }), HttpStatusCode.OK);
        await Kit.Expect(await support.PatchAsJsonAsync("/api/v1/accounts/star", new { status = "normal" }), HttpStatusCode.OK);

        var star = factory.As((await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = "star" }), HttpStatusCode.Created))["token"].S(), country: null);
        var deleted = await Kit.Expect(await star.PostAsync("/api/v1/accounts/star/deletion", null), HttpStatusCode.OK);
        Assert.Equal(("deleting", Kit.At(TimeSpan.FromDays(7))), (deleted["status"].S(), deleted["bindingsEndAt"].S()));
        // A deletion is not withdrawn by an edit; data corrections still are allowed.
        await UseLifecycle(await support.PatchAsJsonAsync("/api/v1/accounts/star", new { status = "normal" }), "POST /api/v1/accounts/star/deletion");
        await Kit.Expect(await support.PatchAsJsonAsync("/api/v1/accounts/star", new { phone = "+8613900000000" }), HttpStatusCode.OK);

        await world.Advance("P7D");
        var ended = await Kit.Get(shop, $"/api/v1/bindings/{official}");
        Assert.Equal(("ended", "account_deleted"), (ended["state"].S(), ended["endReason"].S()));
    }

    [Fact] // DY-L1, DY-L2: every route that writes a shop's or an account's status, then the store's invariant
    public async Task No_route_leaves_a_closed_shop_with_live_bindings_a_closing_shop_without_closesAt_or_a_deleting_account_without_bindingsEndAt()
    {
        var dy = await DyShop("dy1");
        await DyBind(dy, "dy1", "star");
        await DyBind(dy, "dy1", "fan", "showcase");
        var tt = await world.Shop("s1");
        var alice = await world.Account("alice");
        await world.Bind(tt, "s1", alice, "alice");
        var support = await new AccessKit(factory).Staff("support");

        // Staff edits (API; the console and the CLI write through these same endpoints).
        foreach (var status in new[] { "closing", "closed" })
        {
            await admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { status });
            await admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { status });
        }
        await admin.Send(HttpMethod.Patch, "/api/v1/accounts/star", new { status = "deleting" });
        await support.PatchAsJsonAsync("/api/v1/accounts/fan", new { status = "deleting" });
        await support.PatchAsJsonAsync("/api/v1/accounts/alice", new { status = "deleting" });

        // Registration with a lifecycle status, one by one and in bulk (the CLI import posts to the bulk endpoints).
        var closingShop = await admin.PostAsJsonAsync("/api/v1/shops", new { id = "new-closing", name = "x", country = "GB", merchantType = "invited", status = "closing" });
        var refusedField = await Kit.Problem(closingShop, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("/closure", refusedField["errors"]!["status"]![0].S(), StringComparison.Ordinal);
        await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/shops", new { id = "new-closed", name = "x", country = "GB", merchantType = "invited", status = "closed" }),
            HttpStatusCode.Created);
        var registered = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "new-deleting", handle = "new.deleting", registrationCountry = "GB", birthDate = "1990-01-01", status = "deleting",
        }), HttpStatusCode.Created);
        Assert.Equal(Kit.At(TimeSpan.Zero), registered["bindingsEndAt"].S());
        var bulkShops = await Kit.Expect(await BulkTests.Post(admin, "/api/v1/bulk/shops", new
        {
            items = new object[]
            {
                new { id = "bulk-closing", name = "x", country = "GB", merchantType = "invited", status = "closing" },
                new { id = "bulk-closed", name = "x", country = "GB", merchantType = "invited", status = "closed" },
            },
        }), HttpStatusCode.OK);
        Assert.Equal("validation_failed", bulkShops["results"]![0]!["problem"]!["code"].S());
        await Kit.Expect(await BulkTests.Post(admin, "/api/v1/bulk/accounts", new
        {
            items = new object[] { new { id = "bulk-deleting", handle = "bulk.deleting", registrationCountry = "GB", birthDate = "1990-01-01", status = "deleting" } },
        }), HttpStatusCode.OK);

        // The lifecycle endpoints themselves, then time.
        await Kit.Expect(await dy.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { }), HttpStatusCode.OK);
        await world.Advance("P1D");

        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync())
        {
            await AssertInvariant(db);
            Assert.Equal(ShopStatus.Closed, (await db.Shops.SingleAsync(s => s.Id == "s1")).Status);
            Assert.Equal(ShopStatus.Closing, (await db.Shops.SingleAsync(s => s.Id == "dy1")).Status);
            Assert.Equal(2, await db.Accounts.CountAsync(a => a.Status == AccountStatus.Deleting));
            Assert.False(await db.Shops.AnyAsync(s => s.Id == "new-closing" || s.Id == "bulk-closing"));
        }
        await world.Advance("P30D");
        await Kit.Get(admin, "/api/v1/shops/dy1");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync())
        {
            await AssertInvariant(db);
            Assert.Equal(ShopStatus.Closed, (await db.Shops.SingleAsync(s => s.Id == "dy1")).Status);
        }
    }

    /// <summary>The store's lifecycle invariant (DY-L1, DY-L2).</summary>
    private static async Task AssertInvariant(BinderyDb db)
    {
        var closed = await db.Shops.Where(s => s.Status == ShopStatus.Closed).Select(s => s.Id).ToListAsync();
        var live = await db.Bindings.Where(b => closed.Contains(b.ShopId)
            && (b.State == BindingState.Invited || b.State == BindingState.Active || b.State == BindingState.UnlinkRequested)).Select(b => b.Id).ToListAsync();
        Assert.True(live.Count == 0, "closed shops with live bindings: " + string.Join(", ", live));
        Assert.Empty(await db.Shops.Where(s => s.Status == ShopStatus.Closing && s.ClosesAt == null).Select(s => s.Id).ToListAsync());
        Assert.Empty(await db.Accounts.Where(a => a.Status == AccountStatus.Deleting && (a.BindingsEndAt == null || a.DeletedAt == null)).Select(a => a.Id).ToListAsync());
    }
}
