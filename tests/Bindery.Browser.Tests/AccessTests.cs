using Bindery.Domain;
using Bindery.Server.Pages;
using static Microsoft.Playwright.Assertions;

namespace Bindery.Browser.Tests;

/// <summary>Tenancy in the console: a merchant cannot open another shop's pages; the API never takes the cookie.</summary>
[Collection("browser")]
public sealed class AccessTests(BrowserFixture browser) : IAsyncLifetime
{
    private ConsoleSession s = null!;

    public Task InitializeAsync()
    {
        s = new ConsoleSession(browser);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task A_merchant_cannot_open_another_shops_pages(string lang)
    {
        var t = Text.For(lang == "zh-CN" ? Language.ZhCn : Language.En);
        var page = await s.Person(lang);
        await ConsoleSession.SignIn(page, "demo-merchant-gb-invited");
        foreach (var path in new[]
        {
            "/console/shops/shop-us", "/console/shops/shop-us/invite", "/console/shops/shop-us/history",
            "/console/shops/shop-us/history?handler=Csv", "/console/accounts/acc-alice", "/console/staff/review", "/console/staff/policies",
        })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await Expect(page.Locator("[data-test=missing]")).ToHaveTextAsync(t["missing.text"]);
            await Expect(page.Locator("body")).Not.ToContainTextAsync("Cactus Goods");
        }
        var own = await page.GotoAsync("/console/shops/shop-gb-invited");
        Assert.Equal(200, own!.Status);

        // The session cookie is not an API credential: the API stays bearer-only.
        var api = await page.APIRequest.GetAsync("/api/v1/shops/shop-gb-invited");
        Assert.Equal(401, api.Status);
    }

    [BrowserFact]
    public async Task The_language_follows_the_browser_and_the_switch_keeps_the_choice()
    {
        var page = await s.Person("zh-CN");
        await page.GotoAsync("/console/sign-in");
        await Expect(page.Locator("h1")).ToHaveTextAsync(Text.For(Language.ZhCn)["signin.title"]);
        await page.Locator("[data-test=language]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(Text.For(Language.En)["signin.title"]);
        await ConsoleSession.SignIn(page, "demo-admin");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GotoAsync("/console/staff/policies");
        await Expect(page.Locator("[data-policy=tiktok-shop]")).ToContainTextAsync("1 official + 4 channel accounts for invited merchants");
        await ConsoleSession.CheckPage(page);
        await page.Locator("[data-test=language]").ClickAsync();
        await Expect(page.Locator("[data-policy=tiktok-shop]")).ToContainTextAsync("定邀商家:1 个官方账号 + 4 个渠道号");
        await ConsoleSession.CheckPage(page);
        await ConsoleSession.Shot(page, "policies-zh");
    }

    [BrowserFact]
    public async Task Token_sign_in_refuses_an_unknown_token_next_to_the_field()
    {
        var t = Text.For(Language.En);
        var page = await s.Person("en");
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).FillAsync("not-a-token");
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).PressAsync("Enter");
        await Expect(page.Locator("#token-error")).ToHaveTextAsync(t["signin.token-invalid"]);
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).FillAsync("demo-creator-bob");
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).PressAsync("Enter");
        await Expect(page.Locator("[data-test=who]")).ToContainTextAsync("creator:acc-bob");
        await ConsoleSession.Shot(page, "creator-en");
    }

    [BrowserFact]
    public async Task Revoking_a_token_ends_the_console_sessions_signed_in_with_it()
    {
        var t = Text.For(Language.En);
        var page = await s.Person("en");
        var admin = new Dictionary<string, string> { ["Authorization"] = "Bearer demo-admin" };
        var minted = await page.APIRequest.PostAsync("/api/v1/tokens", new()
        {
            Headers = admin,
            DataObject = new { kind = "merchant", shopId = "shop-gb-regular", name = "console test" },
        });
        Assert.Equal(201, minted.Status);
        var json = (await minted.JsonAsync())!.Value;
        var secret = json.GetProperty("token").GetString()!;
        var id = json.GetProperty("details").GetProperty("id").GetString()!;

        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).FillAsync(secret);
        await page.GetByLabel(t["signin.token-label"], new() { Exact = true }).PressAsync("Enter");
        await Expect(page.Locator("[data-test=who]")).ToContainTextAsync("merchant:shop-gb-regular");

        var revoked = await page.APIRequest.DeleteAsync($"/api/v1/tokens/{id}", new() { Headers = admin });
        Assert.True(revoked.Ok, $"revoke answered {revoked.Status}");
        await page.GotoAsync("/console/shops/shop-gb-regular");
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-test=who]")).ToHaveCountAsync(0);
    }
}
