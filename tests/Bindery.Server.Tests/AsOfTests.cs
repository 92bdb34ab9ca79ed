using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>X-6: "which shop was account X bound to, in which role, at time T" over the half-open interval [activatedAt, endedAt).</summary>
public sealed class AsOfTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static async Task<JsonNode?> BoundAt(HttpClient client, TimeSpan sinceStart)
    {
        var at = Kit.At(sinceStart);
        var answer = await Kit.Get(client, $"/api/v1/accounts/alice/binding?asOf={at}");
        Assert.Equal(at, answer["asOf"].S());
        Assert.Equal("alice", answer["accountId"].S());
        return answer["binding"];
    }

    [Fact] // X-6, TS-U2, TS-U3
    public async Task As_of_answers_before_during_and_exactly_at_the_end_instant()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var s2 = await world.Shop("s2");
        var alice = await world.Account("alice");
        var id = await World.Invite(s1, "s1", "alice");
        await world.Advance("PT2H");
        await Kit.Expect(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK); // active from start + 2 h
        await world.Advance("PT24H");
        await World.Unbind(s1, alice, id); // ended at start + 26 h
        // At the same instant another shop binds her: the intervals touch but do not overlap.
        var second = await world.Bind(s2, "s2", alice, "alice", "channel");

        var tick = TimeSpan.FromTicks(1);
        Assert.Null(await BoundAt(alice, TimeSpan.Zero)); // invited is not bound
        Assert.Null(await BoundAt(alice, TimeSpan.FromHours(2) - tick));

        var from = await BoundAt(alice, TimeSpan.FromHours(2));
        Assert.Equal("s1", from!["shopId"].S());
        Assert.Equal(id, from["bindingId"].S());
        Assert.Equal("official", from["role"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(2)), from["from"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(26)), from["to"].S());

        Assert.Equal("s1", (await BoundAt(alice, TimeSpan.FromHours(14)))!["shopId"].S());
        Assert.Equal("s1", (await BoundAt(alice, TimeSpan.FromHours(26) - tick))!["shopId"].S());

        var atEnd = await BoundAt(alice, TimeSpan.FromHours(26));
        Assert.Equal("s2", atEnd!["shopId"].S());
        Assert.Equal(second, atEnd["bindingId"].S());
        Assert.Equal("channel", atEnd["role"].S());
        Assert.Null(atEnd["to"]);

        // Without asOf the answer is for now; the admin may ask about any account.
        Assert.Equal("s2", (await Kit.Get(alice, "/api/v1/accounts/alice/binding"))["binding"]!["shopId"].S());
        Assert.Equal("s1", (await Kit.Get(world.Admin, $"/api/v1/accounts/alice/binding?asOf={Kit.At(TimeSpan.FromHours(3))}"))["binding"]!["shopId"].S());
    }

    [Fact]
    public async Task As_of_with_an_offset_is_the_same_instant()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var alice = await world.Account("alice");
        await world.Bind(s1, "s1", alice, "alice");
        await world.Advance("PT1H");

        // 09:30+01:00 is 08:30Z, after the bind at 08:00Z; 08:30+01:00 is 07:30Z, before it.
        var after = await Kit.Get(alice, "/api/v1/accounts/alice/binding?asOf=" + Uri.EscapeDataString("2026-03-02T09:30:00+01:00"));
        Assert.Equal("2026-03-02T08:30:00Z", after["asOf"].S());
        Assert.Equal("s1", after["binding"]!["shopId"].S());
        var before = await Kit.Get(alice, "/api/v1/accounts/alice/binding?asOf=" + Uri.EscapeDataString("2026-03-02T08:30:00+01:00"));
        Assert.Null(before["binding"]);
    }
}
