using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Write and sign-in rate limits: 429 problem+json with Retry-After, nothing done. Windows are long so no test races a refill.</summary>
public sealed class RateLimitTests
{
    private static BinderyFactory With(string key, string value) => new()
    {
        Settings = { [$"Bindery:RateLimits:{key}"] = value, ["Bindery:RateLimits:Window"] = "01:00:00" },
    };

    [Fact]
    public async Task Writes_are_limited_per_principal_with_retry_after_and_reads_are_not()
    {
        using var factory = With("WritesPerPrincipal", "5");
        var world = new World(factory);
        // The admin's own five writes (creating the world) count against the admin, not the merchants.
        var shop = await world.Shop("s1");
        var other = await world.Shop("s2");
        await world.AccountOnly("alice");
        await Kit.Problem(await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { id = "bob", handle = "bob", registrationCountry = "GB", birthDate = "1990-01-01" }),
            HttpStatusCode.TooManyRequests, "rate_limited");
        var check = new { action = "invite", shopId = "s1", accountId = "alice", role = "official" };
        for (var i = 0; i < 5; i++)
        {
            await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", check), HttpStatusCode.OK);
        }
        var refused = await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" });
        var body = await Kit.Problem(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(retryAfter, body["retryAfterSeconds"].I());
        Assert.Empty(await Kit.Bindings(world.Admin, "s1"));

        // Reads go on; another principal from the same address still writes.
        await Kit.Get(shop, "/api/v1/shops/s1");
        await Kit.Expect(await other.PostAsJsonAsync("/api/v1/checks", new { action = "invite", shopId = "s2", accountId = "alice", role = "official" }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Writes_are_limited_per_client_address_across_principals()
    {
        using var factory = With("WritesPerAddress", "4");
        var admin = factory.Admin();
        for (var i = 0; i < 4; i++)
        {
            var r = await admin.PostAsJsonAsync("/api/v1/accounts", new { id = $"a{i}", handle = $"a{i}.x", registrationCountry = "GB", birthDate = "1990-01-01" });
            await Kit.Expect(r, HttpStatusCode.Created);
        }
        await Kit.Problem(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = "a0" }), HttpStatusCode.TooManyRequests, "rate_limited");
        // Any principal from that address: a bad token is still counted by address (and refused).
        await Kit.Problem(await factory.As("bdy_unknown").PostAsJsonAsync("/api/v1/checks", new { action = "invite" }), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(4, (await Kit.Get(admin, "/api/v1/events?limit=1000"))["items"].A().Count(e => e!["type"].S() == "account.created"));
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_address()
    {
        using var factory = With("SignInsPerAddress", "2");
        var kit = new AccessKit(factory);
        await new World(factory).Shop("s1");
        await kit.Login("ops", "a long password", new { kind = "merchant", shopId = "s1" });
        var browser = kit.Browser();
        await Kit.Problem(await AccessKit.SignIn(browser, "ops", "wrong one"), HttpStatusCode.Unauthorized, "sign_in_failed");
        await Kit.Problem(await AccessKit.SignIn(browser, "ops", "wrong two"), HttpStatusCode.Unauthorized, "sign_in_failed");
        var refused = await AccessKit.SignIn(browser, "ops", "a long password");
        await Kit.Problem(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.Contains("Retry-After"));
        await Kit.Problem(await browser.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task No_spelling_of_a_path_escapes_the_write_or_sign_in_limits()
    {
        // Through a real Kestrel (percent-decoding and dot segments as in production): the limits come from the
        // request and the matched endpoint, never from the path's text, so /API/, /%41pi/ and /x/../api/ all count.
        using var factory = With("WritesPerPrincipal", "4");
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var spellings = new[] { "/api/v1/checks", "/API/V1/CHECKS", "/%61pi/v1/%63hecks", "/x/../api//v1/./checks/" };
        foreach (var path in spellings)
        {
            var request = AuthorizationMatrixTests.Raw(shop, HttpMethod.Post, path);
            request.Content = JsonContent.Create(new { action = "invite", shopId = "s1", accountId = "alice", role = "official" });
            await Kit.Expect(await shop.SendAsync(request), HttpStatusCode.OK);
        }
        foreach (var path in spellings.Append("/Api/v1/shops/s1/invitations"))
        {
            var request = AuthorizationMatrixTests.Raw(shop, HttpMethod.Post, path);
            request.Content = JsonContent.Create(new { accountId = "alice", role = "official" });
            await Kit.Problem(await shop.SendAsync(request), HttpStatusCode.TooManyRequests, "rate_limited");
        }
        Assert.Empty(await Kit.Bindings(world.Admin, "s1"));

        using var signIns = With("SignInsPerAddress", "2");
        signIns.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var kit = new AccessKit(signIns);
        await new World(signIns).Shop("s1");
        await kit.Login("ops", "a long password", new { kind = "merchant", shopId = "s1" });
        var browser = kit.Browser();
        foreach (var (path, status) in new[] { ("/API/V1/SESSIONS", HttpStatusCode.Unauthorized), ("/%61pi/v1/sessions", HttpStatusCode.Unauthorized), ("/x/../Api//v1/Sessions/", HttpStatusCode.TooManyRequests) })
        {
            var request = AuthorizationMatrixTests.Raw(browser, HttpMethod.Post, path);
            request.Content = JsonContent.Create(new { username = "ops", password = status == HttpStatusCode.TooManyRequests ? "a long password" : "wrong" });
            await Kit.Problem(await browser.SendAsync(request), status, status == HttpStatusCode.TooManyRequests ? "rate_limited" : "sign_in_failed");
        }
    }
}
