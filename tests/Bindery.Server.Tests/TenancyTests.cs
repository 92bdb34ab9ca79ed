using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// A merchant acts for one shop, a creator for one account. Someone else's things are not found (404), so their
/// existence does not leak; things that are visible but not the caller's to do are forbidden (403). Nothing changes.
/// </summary>
public sealed class TenancyTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    /// <summary>
    /// Shop A with ann bound. Shop B with bea bound (and asking to unlink) and cal invited as a channel account.
    /// </summary>
    private sealed record Scene(World World, HttpClient A, HttpClient B, HttpClient Ann, HttpClient Bea, HttpClient Cal,
        string AnnBinding, string BeaBinding, string BeaUnlink, string CalInvitation);

    private async Task<Scene> Given()
    {
        var world = new World(factory);
        var a = await world.Shop("shop-a");
        var b = await world.Shop("shop-b");
        var ann = await world.Account("ann");
        var bea = await world.Account("bea");
        var cal = await world.Account("cal");
        await world.AccountOnly("dan");
        var annBinding = await world.Bind(a, "shop-a", ann, "ann");
        var beaBinding = await world.Bind(b, "shop-b", bea, "bea");
        await world.Advance("PT24H");
        var beaUnlink = await World.RequestUnlink(bea, beaBinding);
        var calInvitation = await World.Invite(b, "shop-b", "cal", "channel");
        return new Scene(world, a, b, ann, bea, cal, annBinding, beaBinding, beaUnlink, calInvitation);
    }

    /// <summary>What a failed attempt must leave untouched.</summary>
    private static async Task<string> Fingerprint(Scene s) => string.Join("\n",
        (await Kit.EventCount(s.World.Admin)).ToString(),
        (await Kit.Bindings(s.World.Admin, "shop-a")).ToJsonString(),
        (await Kit.Bindings(s.World.Admin, "shop-b")).ToJsonString(),
        (await Kit.Get(s.World.Admin, $"/api/v1/unlink-requests/{s.BeaUnlink}")).ToJsonString(),
        (await Kit.Get(s.World.Admin, "/api/v1/accounts/dan/bindings")).ToJsonString());

    private static async Task Expect(HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode status, string code) =>
        await Kit.Problem(await client.Send(method, url, body), status, code, $"{method} {url}");

    [Fact] // TS-I2, TS-U1, X-1, X-4, Z-1, Z-2
    public async Task A_merchant_cannot_see_or_touch_another_shop()
    {
        var s = await Given();
        var before = await Fingerprint(s);

        var notFound = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, "/api/v1/shops/shop-b", null),
            (HttpMethod.Get, "/api/v1/shops/shop-b/bindings", null),
            (HttpMethod.Get, "/api/v1/shops/shop-b/quotas", null),
            (HttpMethod.Get, "/api/v1/shops/shop-b/inbox", null),
            (HttpMethod.Get, "/api/v1/shops/shop-b/history", null),
            (HttpMethod.Get, "/api/v1/shops/shop-b/history?format=csv", null),
            (HttpMethod.Post, "/api/v1/shops/shop-b/invitations", new { accountId = "dan", role = "channel" }),
            (HttpMethod.Get, $"/api/v1/invitations/{s.CalInvitation}", null),
            (HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/cancel", null),
            (HttpMethod.Get, $"/api/v1/bindings/{s.BeaBinding}", null),
            (HttpMethod.Get, $"/api/v1/unlink-requests/{s.BeaUnlink}", null),
            (HttpMethod.Post, $"/api/v1/unlink-requests/{s.BeaUnlink}/approve", null),
            (HttpMethod.Post, $"/api/v1/unlink-requests/{s.BeaUnlink}/reject", null),
            (HttpMethod.Post, "/api/v1/checks", new { action = "invite", shopId = "shop-b", accountId = "dan", role = "channel" }),
            (HttpMethod.Post, "/api/v1/checks", new { action = "cancel", bindingId = s.CalInvitation }),
            (HttpMethod.Post, "/api/v1/checks", new { action = "approve_unlink", unlinkRequestId = s.BeaUnlink }),
            // Accounts are the creators' (and the admin's), even the shop's own bound account.
            (HttpMethod.Get, "/api/v1/accounts/bea", null),
        };
        foreach (var (method, url, body) in notFound)
        {
            await Expect(s.A, method, url, body, HttpStatusCode.NotFound, "not_found");
        }
        // An account's history is an endpoint for creators and staff only: refused before any lookup.
        await Expect(s.A, HttpMethod.Get, "/api/v1/accounts/ann/history", null, HttpStatusCode.Forbidden, "forbidden");

        // Admin-only writes are forbidden whatever the shop.
        await Expect(s.A, HttpMethod.Patch, "/api/v1/shops/shop-b", new { status = "closed" }, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Patch, "/api/v1/shops/shop-a", new { merchantType = "invited", endProbation = true }, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Post, "/api/v1/shops", new { id = "shop-c", name = "C", country = "GB", merchantType = "invited" },
            HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Post, "/api/v1/tokens", new { kind = "merchant", shopId = "shop-b" }, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Get, "/api/v1/tokens", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Get, "/api/v1/shops", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.A, HttpMethod.Post, "/api/v1/clock/advance", new { by = "P7D" }, HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await Fingerprint(s));
        Assert.Equal("invited", (await Kit.Get(s.B, $"/api/v1/invitations/{s.CalInvitation}"))["state"].S());
        Assert.Equal("pending", (await Kit.Get(s.B, $"/api/v1/unlink-requests/{s.BeaUnlink}"))["state"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), (await Kit.Get(s.World.Admin, "/api/v1/clock"))["now"].S());
    }

    [Fact] // TS-U1, X-6, Z-1
    public async Task A_creator_cannot_see_or_touch_another_accounts_things()
    {
        var s = await Given();
        var before = await Fingerprint(s);

        var notFound = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, "/api/v1/accounts/bea", null),
            (HttpMethod.Get, "/api/v1/accounts/bea/inbox", null),
            (HttpMethod.Get, "/api/v1/accounts/bea/history", null),
            (HttpMethod.Get, "/api/v1/accounts/bea/bindings", null),
            (HttpMethod.Get, "/api/v1/accounts/bea/binding", null),
            (HttpMethod.Get, $"/api/v1/bindings/{s.BeaBinding}", null),
            (HttpMethod.Post, $"/api/v1/bindings/{s.BeaBinding}/unlink-requests", new { reason = "not mine" }),
            (HttpMethod.Get, $"/api/v1/unlink-requests/{s.BeaUnlink}", null),
            (HttpMethod.Get, $"/api/v1/invitations/{s.CalInvitation}", null),
            (HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/accept", null),
            (HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/decline", null),
            (HttpMethod.Post, "/api/v1/checks", new { action = "accept", bindingId = s.CalInvitation }),
        };
        foreach (var (method, url, body) in notFound)
        {
            await Expect(s.Ann, method, url, body, HttpStatusCode.NotFound, "not_found");
        }
        // Endpoints for merchants and staff refuse a creator before any lookup (whatever the shop).
        await Expect(s.Ann, HttpMethod.Post, $"/api/v1/unlink-requests/{s.BeaUnlink}/approve", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.Ann, HttpMethod.Get, "/api/v1/shops/shop-a", null, HttpStatusCode.Forbidden, "forbidden"); // even the shop it is bound to
        await Expect(s.Ann, HttpMethod.Get, "/api/v1/shops/shop-b/bindings", null, HttpStatusCode.Forbidden, "forbidden");
        // A creator cannot correct its own data (support does, TS-E7) nor invite.
        await Expect(s.Ann, HttpMethod.Patch, "/api/v1/accounts/ann", new { registrationCountry = "FR" }, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.Ann, HttpMethod.Post, "/api/v1/shops/shop-a/invitations", new { accountId = "dan", role = "channel" },
            HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.Ann, HttpMethod.Post, "/api/v1/accounts", new { id = "eve", handle = "eve", registrationCountry = "GB", birthDate = "1990-01-01" },
            HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await Fingerprint(s));
    }

    [Fact] // TS-I2
    public async Task A_creator_cannot_cancel_and_a_merchant_cannot_accept_or_decline()
    {
        var s = await Given();
        var before = await Fingerprint(s);

        // Both parties see the invitation, so these are 403: visible, but not theirs to do.
        await Expect(s.Cal, HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/cancel", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.B, HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/accept", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.B, HttpMethod.Post, $"/api/v1/invitations/{s.CalInvitation}/decline", null, HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await Fingerprint(s));
        Assert.Equal("invited", (await Kit.Get(s.Cal, $"/api/v1/invitations/{s.CalInvitation}"))["state"].S());
    }

    [Fact] // TS-U1
    public async Task Only_the_account_asks_to_unlink_and_only_the_shop_answers()
    {
        var s = await Given();
        var before = await Fingerprint(s);

        await Expect(s.A, HttpMethod.Post, $"/api/v1/bindings/{s.AnnBinding}/unlink-requests", new { reason = "shop wants out" },
            HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.Bea, HttpMethod.Post, $"/api/v1/unlink-requests/{s.BeaUnlink}/approve", null, HttpStatusCode.Forbidden, "forbidden");
        await Expect(s.Bea, HttpMethod.Post, $"/api/v1/unlink-requests/{s.BeaUnlink}/reject", null, HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await Fingerprint(s));
        Assert.Equal("active", (await Kit.Get(s.Ann, $"/api/v1/bindings/{s.AnnBinding}"))["state"].S());
    }

    [Fact]
    public async Task The_event_feed_shows_a_merchant_only_its_shop_and_a_creator_only_its_account()
    {
        var s = await Given();
        var all = await Kit.Events(s.World.Admin);
        Assert.Contains(all, e => e["shopId"]?.GetValue<string>() == "shop-b");

        var forA = await Kit.Events(s.A);
        Assert.NotEmpty(forA);
        Assert.All(forA, e => Assert.Equal("shop-a", e["shopId"].S()));
        Assert.Equal(all.Count(e => e["shopId"]?.GetValue<string>() == "shop-a"), forA.Count);
        Assert.Contains(forA, e => e["type"].S() == "invitation.sent" && e["accountId"].S() == "ann");

        var forBea = await Kit.Events(s.Bea);
        Assert.NotEmpty(forBea);
        Assert.All(forBea, e => Assert.Equal("bea", e["accountId"].S()));
        Assert.Contains(forBea, e => e["type"].S() == "unlink_request.created");
        Assert.Equal(all.Count(e => e["accountId"]?.GetValue<string>() == "bea"), forBea.Count);
    }
}
