using System.Net;
using System.Net.Http.Json;

namespace Bindery.Server.Tests;

public sealed class WalkthroughTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // TS-I1, TS-Q1, TS-U1, TS-U2, TS-U3, X-5, X-6
    public async Task Invite_accept_early_unlink_refused_then_unlink_and_approve_after_clock_advance()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");

        var early = await alice.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { reason = "done" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType!.MediaType);
        var body = await early.Json();
        Assert.Equal(["TS-Q1"], await World.Rules(early));
        Assert.Equal("2026-03-03T08:00:00Z", body["reasons"]![0]!["passesAt"]!.GetValue<string>());

        var advance = await world.Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT25H" });
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);

        var unlink = await alice.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { reason = "done" });
        Assert.Equal(HttpStatusCode.Created, unlink.StatusCode);
        var unlinkId = (await unlink.Json())["id"]!.GetValue<string>();
        var approve = await shop.PostAsync($"/api/v1/unlink-requests/{unlinkId}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        var binding = await (await shop.GetAsync($"/api/v1/bindings/{id}")).Json();
        Assert.Equal("ended", binding["state"]!.GetValue<string>());
        Assert.Equal("merchant:s1", binding["endedBy"]!.GetValue<string>());

        var during = await (await alice.GetAsync("/api/v1/accounts/alice/binding?asOf=2026-03-02T20:00:00Z")).Json();
        Assert.Equal("s1", during["binding"]!["shopId"]!.GetValue<string>());
        var after = await (await alice.GetAsync("/api/v1/accounts/alice/binding")).Json();
        Assert.Null(after["binding"]);
    }
}
