using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>The Douyin preset through HTTP: the same service, a second policy file (spec section 5).</summary>
public sealed class DouyinTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly World world;
    private readonly HttpClient admin;

    public DouyinTests()
    {
        world = new World(factory);
        admin = world.Admin;
    }

    public void Dispose() => factory.Dispose();

    private async Task<HttpClient> DyAccount(string id, string type = "personal", string origin = "douyin", bool formalPayment = false)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), registrationCountry = "CN", birthDate = "1994-04-04", origin, type,
            realNameVerified = true, phone = "+8613800000000", hasFormalPaymentAccount = formalPayment,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    private async Task<HttpClient> DyShop(string id, string kind = "enterprise")
    {
        await DyAccount(id + "-boss", type: "enterprise");
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id, name = "店铺 " + id, policyId = "douyin", country = "CN", merchantType = "regular", kind, mainAccountId = id + "-boss",
            paymentAccount = "pay-" + id,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    private static async Task<string> Bind(HttpClient shop, string shopId, HttpClient creator, string accountId, string role)
    {
        var id = await World.Invite(shop, shopId, accountId, role);
        await Kit.Expect(await creator.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        return id;
    }

    [Fact] // DY-B4, DY-B5
    public async Task Toutiao_Xigua_Huoshan_and_formal_payment_accounts_are_refused_with_the_rule()
    {
        var shop = await DyShop("dy1");
        foreach (var origin in new[] { "toutiao", "xigua", "huoshan" })
        {
            await DyAccount("acc-" + origin, origin: origin);
            var denial = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "acc-" + origin, role = "official" }));
            Assert.Equal(["DY-B4"], Kit.RulesOf(denial));
        }
        await DyAccount("acc-paid", formalPayment: true);
        var paid = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "acc-paid", role = "official" }));
        Assert.Equal(["DY-B5"], Kit.RulesOf(paid));
        // The same account may still bind as a showcase account.
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "acc-paid", role = "showcase" }), HttpStatusCode.Created);
    }

    [Fact] // DY-B1, DY-B2
    public async Task One_shop_per_account_and_one_official_account_per_shop()
    {
        var shop1 = await DyShop("dy1");
        var shop2 = await DyShop("dy2");
        var star = await DyAccount("star");
        await DyAccount("other");
        await Bind(shop1, "dy1", star, "star", "official");

        var elsewhere = await Kit.Denied(await shop2.PostAsJsonAsync("/api/v1/shops/dy2/invitations", new { accountId = "star", role = "showcase" }));
        Assert.Equal(["DY-B1"], Kit.RulesOf(elsewhere));
        var second = await Kit.Denied(await shop1.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "other", role = "official" }));
        Assert.Equal(["DY-B2"], Kit.RulesOf(second));
    }

    [Fact] // DY-O2, DY-O3, DY-O4
    public async Task The_official_binding_upgrades_the_account_cannot_be_undone_and_sells_at_zero_commission()
    {
        var shop = await DyShop("dy1", kind: "individual_business");
        var star = await DyAccount("star");
        var id = await Bind(shop, "dy1", star, "star", "official");

        // DY-O3: a personal account bound as official to an individual-business shop becomes a verified enterprise account, in history.
        Assert.Equal("verified_enterprise", (await Kit.Get(star, "/api/v1/accounts/star"))["type"].S());
        var history = (await Kit.Get(admin, "/api/v1/accounts/star/history"))["items"].A();
        var upgrade = history.Single(h => h!["action"].S() == "account.upgraded_to_verified_enterprise")!;
        Assert.Equal("personal", upgrade["before"]!["type"].S());
        Assert.Equal("verified_enterprise", upgrade["after"]!["type"].S());

        // DY-O2: neither the account nor the shop can undo it.
        factory.Clock.Advance(TimeSpan.FromDays(400));
        var byAccount = await Kit.Denied(await star.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { }));
        Assert.Equal(["DY-O2"], Kit.RulesOf(byAccount));
        var byOwner = await Kit.Denied(await star.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { }));
        Assert.Equal(["DY-O2"], Kit.RulesOf(byOwner));

        // DY-O4: zero commission for the bound account; another account sells on the product's own plan.
        var sale = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "sell", shopId = "dy1", accountId = "star" }), HttpStatusCode.OK);
        Assert.True(sale["allowed"].B());
        Assert.Equal(0m, sale["sale"]!["commissionRate"]!.GetValue<decimal>());
        Assert.Equal("DY-O4", sale["sale"]!["rule"].S());
        await DyAccount("stranger");
        var other = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "sell", shopId = "dy1", accountId = "stranger" }), HttpStatusCode.OK);
        Assert.Null(other["sale"]!["commissionRate"]);
    }

    [Fact] // DY-O3
    public async Task A_verified_account_or_an_individual_shop_does_not_upgrade()
    {
        var shop = await DyShop("dy1", kind: "individual");
        var star = await DyAccount("star");
        await Bind(shop, "dy1", star, "star", "official");

        Assert.Equal("personal", (await Kit.Get(star, "/api/v1/accounts/star"))["type"].S());
    }

    [Fact] // DY-B3
    public async Task A_showcase_binding_is_unbound_by_its_owner_only_with_the_confirmation_token()
    {
        var shop = await DyShop("dy1");
        var fan = await DyAccount("fan");
        await DyAccount("fan2");
        var id = await Bind(shop, "dy1", fan, "fan", "showcase");
        var events = await Kit.EventCount(admin);

        var first = await Kit.Expect(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { }), HttpStatusCode.OK);
        Assert.True(first["confirmationRequired"].B());
        var token = first["confirmationToken"].S();
        Assert.Equal("active", (await Kit.Get(fan, $"/api/v1/bindings/{id}"))["state"].S());
        Assert.Equal(events, await Kit.EventCount(admin)); // the first call changes nothing

        // A wrong token, or the shop instead of the owner, does nothing.
        await Kit.Problem(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { confirmationToken = token + "x" }), HttpStatusCode.BadRequest, "confirmation_invalid");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { confirmationToken = token }), HttpStatusCode.Forbidden, "forbidden");
        // A token expires.
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await Kit.Problem(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { confirmationToken = token }), HttpStatusCode.BadRequest, "confirmation_invalid");
        Assert.Equal("active", (await Kit.Get(fan, $"/api/v1/bindings/{id}"))["state"].S());

        var fresh = (await Kit.Expect(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { }), HttpStatusCode.OK))["confirmationToken"].S();
        var done = await Kit.Expect(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { confirmationToken = fresh }), HttpStatusCode.OK);
        Assert.Equal("ended", done["state"].S());
        Assert.Equal("owner_unbound", done["endReason"].S());
        // Used once: the same token cannot act again.
        await Kit.Denied(await fan.PostAsJsonAsync($"/api/v1/bindings/{id}/unbind", new { confirmationToken = fresh }));
    }

    [Fact] // DY-B6
    public async Task A_channel_account_is_unlinked_only_after_its_tenure()
    {
        var shop = await DyShop("dy1");
        var ch = await DyAccount("ch");
        var id = await Bind(shop, "dy1", ch, "ch", "channel");

        var early = await Kit.Denied(await ch.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { }));
        Assert.Equal(["DY-B6"], Kit.RulesOf(early));
        Assert.Equal(Kit.At(TimeSpan.FromDays(180)), early["passesAt"].S());

        await world.Advance("P180D");
        await Kit.Expect(await ch.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { }), HttpStatusCode.Created);
    }

    [Fact] // DY-L1, DY-L3, DY-O1, Z-1
    public async Task A_closure_notice_runs_30_days_then_every_binding_ends_and_income_no_longer_goes_to_the_shop()
    {
        var shop = await DyShop("dy1");
        var star = await DyAccount("star");
        var fan = await DyAccount("fan");
        await DyAccount("late");
        var official = await Bind(shop, "dy1", star, "star", "official");
        var showcase = await Bind(shop, "dy1", fan, "fan", "showcase");
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var during = Kit.At(TimeSpan.FromDays(1));

        var notice = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { reason = "retiring" }), HttpStatusCode.OK);
        Assert.Equal("closing", notice["status"].S());
        var closesAt = Kit.At(TimeSpan.FromDays(31));
        Assert.Equal(closesAt, notice["closesAt"].S());
        // No new bindings during the notice.
        var refused = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "late", role = "showcase" }));
        Assert.Equal(["DY-L1"], Kit.RulesOf(refused));
        // Both sides see it coming (Z-1).
        var inbox = (await Kit.Get(star, "/api/v1/accounts/star/inbox"))["items"].A();
        var item = inbox.Single(i => i!["kind"].S() == "closure_notice")!;
        Assert.Equal(closesAt, item["waitingOn"]!["dueAt"].S());

        await world.Advance("P30D");

        Assert.Equal("closed", (await Kit.Get(shop, "/api/v1/shops/dy1"))["status"].S());
        foreach (var id in new[] { official, showcase })
        {
            var b = await Kit.Get(shop, $"/api/v1/bindings/{id}");
            Assert.Equal("ended", b["state"].S());
            Assert.Equal("shop_closed", b["endReason"].S());
            Assert.Equal(closesAt, b["endedAt"].S()); // at the end of the notice, not when noticed
        }
        var closed = (await Kit.Events(admin)).Single(e => e["type"].S() == "shop.closed");
        Assert.Equal(closesAt, closed["at"].S());
        // DY-L3: nothing deleted: the shop's history and bindings stay readable.
        Assert.Equal(2, (await Kit.Bindings(shop, "dy1")).Count);
        Assert.Contains((await Kit.Get(shop, "/api/v1/shops/dy1/history"))["items"].A(), h => h!["action"].S() == "shop.closure_notice");

        // DY-O1: income earned during the binding settled to the shop; after the closure, to the account.
        var before = await Kit.Get(star, $"/api/v1/settlements/attribution?accountId=star&at={during}");
        Assert.Equal("shop", before["recipient"]!["kind"].S());
        Assert.Equal("pay-dy1", before["recipient"]!["paymentAccount"].S());
        Assert.Equal("DY-O1", before["rule"].S());
        var after = await Kit.Get(star, "/api/v1/settlements/attribution?accountId=star");
        Assert.Equal("account", after["recipient"]!["kind"].S());
        Assert.Contains("settles to the shop", before["explanation"].S(), StringComparison.Ordinal);
        // DY-O1: the binding holds on [activatedAt, endedAt): at its end instant the income is the account's own.
        var atEnd = await Kit.Get(star, $"/api/v1/settlements/attribution?accountId=star&at={closesAt}");
        Assert.Equal(("account", null), (atEnd["recipient"]!["kind"].S(), atEnd["rule"]?.GetValue<string>()));
    }

    [Fact] // DY-L1
    public async Task A_closure_notice_can_be_withdrawn_before_it_runs_out()
    {
        var shop = await DyShop("dy1");
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { }), HttpStatusCode.OK);
        await world.Advance("P29D");

        var back = await Kit.Expect(await shop.PostAsync("/api/v1/shops/dy1/closure/cancel", null), HttpStatusCode.OK);
        await world.Advance("P2D");

        Assert.Equal("normal", back["status"].S());
        Assert.Equal("normal", (await Kit.Get(shop, "/api/v1/shops/dy1"))["status"].S());
    }

    [Fact] // DY-L2, DY-L3
    public async Task A_deleted_account_loses_its_binding_seven_days_later_and_its_invitations_at_once()
    {
        var shop = await DyShop("dy1");
        var shop2 = await DyShop("dy2");
        var star = await DyAccount("star");
        var id = await Bind(shop, "dy1", star, "star", "official");

        var deleted = await Kit.Expect(await star.PostAsync("/api/v1/accounts/star/deletion", null), HttpStatusCode.OK);
        Assert.Equal("deleting", deleted["status"].S());
        Assert.Equal(Kit.At(TimeSpan.FromDays(7)), deleted["bindingsEndAt"].S());
        Assert.Contains((await Kit.Get(shop, "/api/v1/shops/dy1/inbox"))["items"].A(), i => i!["kind"].S() == "account_deletion");

        await world.Advance("P7D");
        var b = await Kit.Get(shop, $"/api/v1/bindings/{id}");
        Assert.Equal("ended", b["state"].S());
        Assert.Equal("account_deleted", b["endReason"].S());
        Assert.Equal(Kit.At(TimeSpan.FromDays(7)), b["endedAt"].S());
        // The account stays on record (DY-L3) and cannot be bound again.
        Assert.Equal("star", (await Kit.Get(admin, "/api/v1/accounts/star"))["id"].S());
        await Kit.Denied(await shop2.PostAsJsonAsync("/api/v1/shops/dy2/invitations", new { accountId = "star", role = "showcase" }));

        var fan = await DyAccount("fan");
        var invitation = await World.Invite(shop2, "dy2", "fan", "showcase");
        await Kit.Expect(await fan.PostAsync("/api/v1/accounts/fan/deletion", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", (await Kit.Get(shop2, $"/api/v1/invitations/{invitation}"))["state"].S());
    }

    [Fact] // DY-O1
    public async Task Attribution_is_private_to_the_parties()
    {
        var shop = await DyShop("dy1");
        var other = await DyShop("dy2");
        var star = await DyAccount("star");
        await Bind(shop, "dy1", star, "star", "official");

        Assert.Equal("shop", (await Kit.Get(shop, "/api/v1/settlements/attribution?accountId=star"))["recipient"]!["kind"].S());
        await Kit.Problem(await other.GetAsync("/api/v1/settlements/attribution?accountId=star"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await admin.GetAsync("/api/v1/settlements/attribution?accountId=star&at=yesterday"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact] // DY-L1, DY-A2, Z-1
    public async Task A_closing_shop_withdraws_its_open_application()
    {
        var shop = await DyShop("dy1");
        var star = await DyAccount("star");
        await DyAccount("heir", type: "enterprise");
        var official = await Bind(shop, "dy1", star, "star", "official");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("wrong_account"), "reason" },
            { new StringContent("李雷"), "contactName" },
            { new StringContent("+8613812345678"), "contactPhone" },
        };
        var pdf = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"));
        pdf.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "business_licence", "licence.pdf");
        var application = await Kit.Expect(await shop.PostAsync($"/api/v1/bindings/{official}/unbind-applications", form), HttpStatusCode.Created);
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/main-account-changes", new { accountId = "heir" }), HttpStatusCode.Created);
        var inbox = (await Kit.Get(shop, "/api/v1/shops/dy1/inbox"))["items"].A();
        Assert.Contains(inbox, i => i!["kind"].S() == "unbind_application" && i["waitingOn"]!["party"].S() == "staff");
        Assert.Contains(inbox, i => i!["kind"].S() == "main_account_change" && i["waitingOn"]!["id"].S() == "heir");

        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { }), HttpStatusCode.OK);
        await world.Advance("P30D");

        var app = await Kit.Get(shop, $"/api/v1/unbind-applications/{application["id"].S()}");
        Assert.Equal("withdrawn", app["state"].S());
        Assert.Equal("shop_closed", (await Kit.Get(shop, $"/api/v1/bindings/{official}"))["endReason"].S());
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/dy1/inbox"))["items"].A());
    }

    [Fact] // DY-B2, DY-B3, DY-B6, Z-2: a Douyin shop's quota table names Douyin rules (the showcase line read "TS-B1")
    public async Task A_Douyin_shops_quota_lines_name_the_Douyin_rules()
    {
        var shop = await DyShop("dy-q");
        var quotas = (await Kit.Get(shop, "/api/v1/shops/dy-q/quotas"))["quotas"].A();
        string Rule(string name) => quotas.Single(q => q!["name"].S() == name)!["rule"].S();
        Assert.Equal("DY-B2", Rule("official_capacity"));
        Assert.Equal("DY-B6", Rule("channel_capacity"));
        Assert.Equal("DY-B3", Rule("showcase_capacity"));
        Assert.DoesNotContain(quotas, q => q!["rule"].S().StartsWith("TS-", StringComparison.Ordinal));
    }
}
