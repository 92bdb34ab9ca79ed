using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// Bad input gets a clear application/problem+json 4xx with a stable code, and changes nothing: after each
/// refusal the event feed, the shop's bindings and the account are as before.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private sealed record State(int Events, string Bindings, string Account);

    private static async Task<State> Snapshot(World world) => new(
        await Kit.EventCount(world.Admin),
        (await Kit.Bindings(world.Admin, "s1")).ToJsonString(),
        (await Kit.Get(world.Admin, "/api/v1/accounts/alice")).ToJsonString());

    private async Task<(World World, HttpClient Shop, State Before)> Given()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.Account("alice");
        return (world, shop, await Snapshot(world));
    }

    private static StringContent Raw(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);

    [Fact]
    public async Task Malformed_json_is_a_400_malformed_request()
    {
        var (world, shop, before) = await Given();

        var r = await shop.PostAsync("/api/v1/shops/s1/invitations", Raw("{\"accountId\": \"alice\", \"role\": "));
        await Kit.Problem(r, HttpStatusCode.BadRequest, "malformed_request");
        var notAnObject = await shop.PostAsync("/api/v1/shops/s1/invitations", Raw("[1, 2, 3]"));
        await Kit.Problem(notAnObject, HttpStatusCode.BadRequest, "malformed_request");
        var empty = await shop.PostAsync("/api/v1/shops/s1/invitations", Raw(""));
        await Kit.Problem(empty, HttpStatusCode.BadRequest, "malformed_request");
        var nothing = await shop.PostAsync("/api/v1/shops/s1/invitations", null);
        await Kit.Problem(nothing, HttpStatusCode.BadRequest, "malformed_request");

        Assert.Equal(before, await Snapshot(world));
    }

    [Fact]
    public async Task A_number_where_a_string_is_expected_is_a_400_naming_the_field()
    {
        var (world, shop, before) = await Given();

        var r = await shop.PostAsync("/api/v1/shops/s1/invitations", Raw("{\"accountId\": 5, \"role\": \"official\"}"));
        var problem = await Kit.Problem(r, HttpStatusCode.BadRequest, "malformed_request");
        Assert.Contains("accountId", problem["detail"].S(), StringComparison.Ordinal);
        var birth = await world.Admin.PostAsync("/api/v1/accounts",
            Raw("{\"id\": \"bob\", \"handle\": \"bob\", \"registrationCountry\": \"GB\", \"birthDate\": 19950101}"));
        await Kit.Problem(birth, HttpStatusCode.BadRequest, "malformed_request");

        Assert.Equal(before, await Snapshot(world));
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/accounts/bob"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        var (world, shop, before) = await Given();

        var r = await shop.PostAsync("/api/v1/shops/s1/invitations", Raw("accountId=alice&role=official", "application/x-www-form-urlencoded"));
        await Kit.Problem(r, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        Assert.Equal(before, await Snapshot(world));
    }

    [Theory]
    [InlineData("POST", "/api/v1/shops/no-such-shop/invitations", "{\"accountId\": \"alice\", \"role\": \"official\"}")]
    [InlineData("POST", "/api/v1/shops/s1/invitations", "{\"accountId\": \"no-such-account\", \"role\": \"official\"}")]
    [InlineData("POST", "/api/v1/shops/s1/invitations", "{\"handle\": \"@nobody.here\", \"role\": \"official\"}")]
    [InlineData("POST", "/api/v1/invitations/bnd_nope/accept", null)]
    [InlineData("POST", "/api/v1/invitations/bnd_nope/cancel", null)]
    [InlineData("POST", "/api/v1/bindings/bnd_nope/unlink-requests", "{}")]
    [InlineData("POST", "/api/v1/unlink-requests/ulr_nope/approve", null)]
    [InlineData("PATCH", "/api/v1/shops/no-such-shop", "{\"status\": \"restricted\"}")]
    [InlineData("PATCH", "/api/v1/accounts/no-such-account", "{\"status\": \"banned\"}")]
    [InlineData("GET", "/api/v1/shops/no-such-shop", null)]
    [InlineData("GET", "/api/v1/shops/no-such-shop/quotas", null)]
    [InlineData("GET", "/api/v1/accounts/no-such-account/inbox", null)]
    [InlineData("GET", "/api/v1/invitations/bnd_nope", null)]
    [InlineData("GET", "/api/v1/unlink-requests/ulr_nope", null)]
    [InlineData("GET", "/api/v1/policies/no-such-policy", null)]
    [InlineData("POST", "/api/v1/tokens", "{\"kind\": \"merchant\", \"shopId\": \"no-such-shop\"}")]
    public async Task Unknown_ids_are_404_not_found(string method, string url, string? json)
    {
        var (world, _, before) = await Given();

        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (json is not null)
        {
            request.Content = Raw(json);
        }
        var r = await world.Admin.SendAsync(request);
        await Kit.Problem(r, HttpStatusCode.NotFound, "not_found");

        Assert.Equal(before, await Snapshot(world));
    }

    [Fact]
    public async Task A_bad_enum_value_is_a_400_validation_failed_naming_the_field_and_the_choices()
    {
        var (world, shop, before) = await Given();

        var r = await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "boss" });
        var problem = await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed");
        var roleErrors = problem["errors"]!["role"].A().Select(x => x.S()).ToArray();
        var message = Assert.Single(roleErrors);
        Assert.Contains("official", message, StringComparison.Ordinal);
        Assert.Contains("channel", message, StringComparison.Ordinal);

        var both = await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { role = "boss" });
        var all = await Kit.Problem(both, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(all["errors"]!["role"]);
        Assert.NotNull(all["errors"]!["accountId"]);

        var status = await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { status = "sleepy" });
        Assert.NotNull((await Kit.Problem(status, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["status"]);
        var merchantType = await world.Admin.PostAsJsonAsync("/api/v1/shops", new { id = "s9", name = "S9", country = "GB", merchantType = "vip" });
        Assert.NotNull((await Kit.Problem(merchantType, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["merchantType"]);
        var action = await shop.PostAsJsonAsync("/api/v1/checks", new { action = "fly" });
        Assert.NotNull((await Kit.Problem(action, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["action"]);
        var state = await shop.GetAsync("/api/v1/shops/s1/bindings?state=happy");
        Assert.NotNull((await Kit.Problem(state, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["state"]);

        Assert.Equal(before, await Snapshot(world));
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/shops/s9"), HttpStatusCode.NotFound, "not_found");
    }

    [Theory] // TS-E2
    [InlineData("2001-02-30")] // no such day
    [InlineData("2001-13-01")]
    [InlineData("01/02/2001")]
    [InlineData("2001-2-3")]
    [InlineData("2026-03-03")] // the day after the service's today (2026-03-02)
    [InlineData("2090-01-01")]
    public async Task Impossible_or_future_birth_dates_are_400_and_change_nothing(string birthDate)
    {
        var (world, _, before) = await Given();

        var create = await world.Admin.PostAsJsonAsync("/api/v1/accounts",
            new { id = "bob", handle = "bob", registrationCountry = "GB", birthDate });
        var problem = await Kit.Problem(create, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["birthDate"]);
        var patch = await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { birthDate });
        Assert.NotNull((await Kit.Problem(patch, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["birthDate"]);

        Assert.Equal(before, await Snapshot(world));
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/accounts/bob"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact] // TS-E2
    public async Task A_birth_date_of_today_is_accepted_since_it_is_not_in_the_future()
    {
        var world = new World(factory);
        var r = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { id = "baby", handle = "baby", registrationCountry = "GB", birthDate = "2026-03-02" });
        Assert.Equal("2026-03-02", (await Kit.Expect(r, HttpStatusCode.Created))["birthDate"].S());
    }

    [Theory] // TS-E3
    [InlineData("gb")]
    [InlineData("GBR")]
    [InlineData("G")]
    [InlineData("")]
    [InlineData("G1")]
    [InlineData("United Kingdom")]
    public async Task Bad_country_codes_are_400_and_change_nothing(string country)
    {
        var (world, _, before) = await Given();

        var account = await world.Admin.PostAsJsonAsync("/api/v1/accounts",
            new { id = "bob", handle = "bob", registrationCountry = country, birthDate = "1990-01-01" });
        Assert.NotNull((await Kit.Problem(account, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["registrationCountry"]);
        var patch = await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { registrationCountry = country });
        Assert.NotNull((await Kit.Problem(patch, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["registrationCountry"]);
        var shop = await world.Admin.PostAsJsonAsync("/api/v1/shops", new { id = "s9", name = "S9", country, merchantType = "invited" });
        Assert.NotNull((await Kit.Problem(shop, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["country"]);

        Assert.Equal(before, await Snapshot(world));
    }

    [Fact]
    public async Task Missing_required_fields_are_all_reported_at_once()
    {
        var (world, _, before) = await Given();

        var r = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { });
        var errors = (await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!.AsObject();
        Assert.Equal(["birthDate", "handle", "registrationCountry"], errors.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());

        Assert.Equal(before, await Snapshot(world));
    }

    [Fact] // X-6
    public async Task Bad_instants_and_limits_are_400()
    {
        var (world, shop, before) = await Given();

        foreach (var asOf in new[] { "yesterday", "2026-03-02T08:00:00", "2026-02-30T08:00:00Z" })
        {
            var r = await world.Admin.GetAsync($"/api/v1/accounts/alice/binding?asOf={Uri.EscapeDataString(asOf)}");
            Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed", asOf))["errors"]!["asOf"]);
        }
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/events?limit=0"), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/s1/history?limit=5000"), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/s1/history?format=xml"), HttpStatusCode.BadRequest, "validation_failed");
        var probation = await world.Admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { probationEndsAt = "next week" });
        Assert.NotNull((await Kit.Problem(probation, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["probationEndsAt"]);

        Assert.Equal(before, await Snapshot(world));
    }

    [Theory] // X-5
    [InlineData("-PT1H")]
    [InlineData("PT0S")]
    [InlineData("P1M")] // a month has no fixed length
    [InlineData("48h")]
    public async Task The_clock_only_moves_forward_by_an_exact_duration(string by)
    {
        var (world, _, before) = await Given();

        var r = await world.Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by });
        Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["by"]);

        Assert.Equal(Kit.Iso(BinderyFactory.Start), (await Kit.Get(world.Admin, "/api/v1/clock"))["now"].S());
        Assert.Equal(before, await Snapshot(world));
    }

    [Fact]
    public async Task Duplicate_ids_and_handles_are_409_conflict()
    {
        var (world, _, before) = await Given();

        var id = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { id = "alice", handle = "other", registrationCountry = "GB", birthDate = "1990-01-01" });
        await Kit.Problem(id, HttpStatusCode.Conflict, "conflict");
        var handle = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { id = "alice2", handle = "@Alice", registrationCountry = "GB", birthDate = "1990-01-01" });
        await Kit.Problem(handle, HttpStatusCode.Conflict, "conflict");
        var shop = await world.Admin.PostAsJsonAsync("/api/v1/shops", new { id = "s1", name = "again", country = "GB", merchantType = "regular" });
        await Kit.Problem(shop, HttpStatusCode.Conflict, "conflict");

        Assert.Equal(before, await Snapshot(world));
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v2/shops")]
    [InlineData("POST", "/api/v1/shops/s1/invitations/extra")]
    [InlineData("GET", "/api/v1/shops/s1/nothing")]
    public async Task An_unknown_route_is_a_404_problem_with_or_without_a_token(string method, string url)
    {
        var (world, _, before) = await Given();

        var withToken = await world.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        await Kit.Problem(withToken, HttpStatusCode.NotFound, "not_found");
        var anonymous = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        await Kit.Problem(anonymous, HttpStatusCode.NotFound, "not_found");

        Assert.Equal(before, await Snapshot(world));
    }

    [Fact]
    public async Task A_wrong_method_on_a_known_route_is_a_405_problem()
    {
        var (world, _, before) = await Given();

        var r = await world.Admin.DeleteAsync("/api/v1/shops/s1");
        await Kit.Problem(r, HttpStatusCode.MethodNotAllowed, "method_not_allowed");

        Assert.Equal(before, await Snapshot(world));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-real-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic dGVzdC1hZG1pbjo=")]
    [InlineData("Bearer test-admin-but-longer")]
    public async Task Requests_without_a_valid_token_are_401_problems_and_change_nothing(string? authorization)
    {
        var (world, _, before) = await Given();

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Client-Country", "GB");
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        await Kit.Problem(await client.GetAsync("/api/v1/shops/s1"), HttpStatusCode.Unauthorized, "unauthorized");
        await Kit.Problem(await client.GetAsync("/api/v1/events"), HttpStatusCode.Unauthorized, "unauthorized");
        await Kit.Problem(await client.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }),
            HttpStatusCode.Unauthorized, "unauthorized");
        await Kit.Problem(await client.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT49H" }), HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Equal(before, await Snapshot(world));
        Assert.Equal(Kit.Iso(BinderyFactory.Start), (await Kit.Get(world.Admin, "/api/v1/clock"))["now"].S());
    }

    [Fact]
    public async Task Revoked_and_expired_tokens_stop_working()
    {
        var world = new World(factory);
        await world.Shop("s1");
        await world.AccountOnly("alice");
        var revoked = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "s1" }), HttpStatusCode.Created);
        var shortLived = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "s1", expiresIn = "PT1H" }),
            HttpStatusCode.Created);
        var revokedClient = factory.As(revoked["token"].S());
        var shortClient = factory.As(shortLived["token"].S());
        await Kit.Get(revokedClient, "/api/v1/shops/s1");
        await Kit.Get(shortClient, "/api/v1/shops/s1");

        await Kit.Expect(await world.Admin.DeleteAsync($"/api/v1/tokens/{revoked["details"]!["id"].S()}"), HttpStatusCode.OK);
        await world.Advance("PT1H");
        var before = await Kit.EventCount(world.Admin);

        foreach (var c in new[] { revokedClient, shortClient })
        {
            await Kit.Problem(await c.GetAsync("/api/v1/shops/s1"), HttpStatusCode.Unauthorized, "unauthorized");
            await Kit.Problem(await c.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }),
                HttpStatusCode.Unauthorized, "unauthorized");
        }
        Assert.Equal(before, await Kit.EventCount(world.Admin));
        Assert.Empty(await Kit.Bindings(world.Admin, "s1"));
    }

    [Fact] // X-4, TS-B3
    public async Task Problems_follow_the_callers_language()
    {
        var (world, shop, _) = await Given();
        await World.Invite(shop, "s1", "alice");
        var zh = world.MerchantOf("s1", language: "zh-CN");

        var denied = await Kit.Denied(await zh.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "channel" }));
        Assert.Equal("操作不符合绑定规则,已被拒绝。", denied["title"].S());
        var invalid = await Kit.Problem(await zh.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "boss" }),
            HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("请求中有无效字段。", invalid["title"].S());
        var en = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "channel" }));
        Assert.Equal("The action is refused by the binding rules.", en["title"].S());
    }
}
