using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// DY-M1..M4: who may start, verify, resend and cancel a main-account change; shops without a main account; a
/// production server without a code sender; retries.
/// </summary>
public sealed class MainAccountAccessTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly MainAccountKit kit;

    public MainAccountAccessTests() => kit = new MainAccountKit(factory);

    public void Dispose() => factory.Dispose();

    [Fact] // DY-M1, DY-M2
    public async Task Another_shop_and_other_creators_see_nothing_the_new_account_may_enter_the_code_and_nothing_else()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        var rival = await kit.Shop("dy2", "acc-rival");
        var holder = await kit.Account("acc-new");
        var stranger = await kit.Account("acc-stranger");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);
        var before = await Kit.EventCount(kit.Admin);

        // Another shop's merchant is admitted by the endpoints and finds nothing; a creator is refused by the
        // shop-only endpoints before any lookup (403) and finds nothing in the others (404).
        foreach (var (other, shopOnly, code404) in new[] { (rival, HttpStatusCode.NotFound, "not_found"), (stranger, HttpStatusCode.Forbidden, "forbidden") })
        {
            await Kit.Problem(await MainAccountKit.TryStart(other, "dy1", "acc-stranger"), shopOnly, code404);
            await Kit.Problem(await other.GetAsync($"/api/v1/main-account-changes/{id}"), HttpStatusCode.NotFound, "not_found");
            await Kit.Problem(await MainAccountKit.Verify(other, id, code), HttpStatusCode.NotFound, "not_found");
            await Kit.Problem(await other.PostAsync($"/api/v1/main-account-changes/{id}/resend", null), shopOnly, code404);
            await Kit.Problem(await other.PostAsync($"/api/v1/main-account-changes/{id}/cancel", null), shopOnly, code404);
            await Kit.Problem(await other.GetAsync("/api/v1/shops/dy1/main-account"), shopOnly, code404);
            await Kit.Problem(await other.GetAsync("/api/v1/shops/dy1/main-account-changes"), shopOnly, code404);
        }
        // The new account's holder sees the change (it waits on them) but the shop alone resends or cancels it.
        Assert.Equal("awaiting_code", (await Kit.Get(holder, $"/api/v1/main-account-changes/{id}"))["state"].S());
        await Kit.Problem(await holder.PostAsync($"/api/v1/main-account-changes/{id}/resend", null), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await holder.PostAsync($"/api/v1/main-account-changes/{id}/cancel", null), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await holder.GetAsync("/api/v1/shops/dy1/main-account"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await Kit.EventCount(kit.Admin));
        Assert.Equal(5, (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["attemptsLeft"].I());

        Assert.Equal("completed", (await Kit.Expect(await MainAccountKit.Verify(holder, id, code), HttpStatusCode.OK))["state"].S());
        Assert.Equal("acc-new", (await Kit.Get(shop, "/api/v1/shops/dy1/main-account"))["mainAccountId"].S());
        Assert.Equal("acc-rival", (await Kit.Get(rival, "/api/v1/shops/dy2/main-account"))["mainAccountId"].S());
    }

    [Fact] // DY-M1
    public async Task A_shop_whose_policy_has_no_main_account_answers_409_with_a_clear_code()
    {
        var world = new World(factory);
        var tiktok = await world.Shop("tt1");
        await kit.Account("acc-new");

        var start = await Kit.Problem(await MainAccountKit.TryStart(tiktok, "tt1", "acc-new"), HttpStatusCode.Conflict, "main_account_not_offered");
        Assert.Contains("tiktok-shop", start["detail"].S(), StringComparison.Ordinal);
        await Kit.Problem(await tiktok.GetAsync("/api/v1/shops/tt1/main-account"), HttpStatusCode.Conflict, "main_account_not_offered");
        await Kit.Problem(await tiktok.GetAsync("/api/v1/shops/tt1/main-account-changes"), HttpStatusCode.Conflict, "main_account_not_offered");
    }

    [Fact] // DY-M2
    public async Task Without_a_code_sender_a_production_server_refuses_to_start_a_change_and_changes_nothing()
    {
        using var production = new BinderyFactory { Mode = "Production" };
        var prod = new MainAccountKit(production);
        var shop = await prod.Shop("dy1", "acc-old");
        await prod.Account("acc-new");
        var before = await Kit.EventCount(prod.Admin);

        var problem = await Kit.Problem(await MainAccountKit.TryStart(shop, "dy1", "acc-new"), HttpStatusCode.ServiceUnavailable, "code_sender_unavailable");
        Assert.Contains("Bindery:Otp:Sender", problem["detail"].S(), StringComparison.Ordinal);
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A());
        Assert.Equal(before, await Kit.EventCount(prod.Admin));
    }

    [Fact] // DY-M2, Z-3
    public async Task A_retried_start_with_the_same_idempotency_key_starts_one_change_and_sends_one_code()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");

        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shops/dy1/main-account-changes") { Content = JsonContent.Create(new { accountId = "acc-new" }) };
            request.Headers.Add("Idempotency-Key", "change-1");
            return await shop.SendAsync(request);
        }

        var first = await Kit.Expect(await Send(), HttpStatusCode.Created);
        var retry = await Send();
        var again = await Kit.Expect(retry, HttpStatusCode.Created);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first["id"].S(), again["id"].S());
        Assert.Single((await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A());
        Assert.Single(await Kit.Events(kit.Admin), e => e["type"].S() == "main_account_change.demo_code");
    }

    [Fact] // DY-M4, X-4
    public async Task A_wrong_code_is_explained_in_Chinese_when_asked()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var zh = factory.As("test-admin", country: null, language: "zh-CN");

        var problem = await Kit.Problem(await MainAccountKit.Verify(zh, id, MainAccountKit.Other(await kit.DemoCode(id))), (HttpStatusCode)422, "wrong_code");

        Assert.Equal("验证码错误。", problem["title"].S());
        Assert.Equal("[DY-M4] 验证码错误，还可尝试 4 次，否则主账户更换将被锁定 24 小时。", problem["detail"].S());
        Assert.Equal(id, problem["changeId"].S());
    }
}
