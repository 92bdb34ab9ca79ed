using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>X-2: each state change produces an event in an ordered, gap-free feed integrators poll by sequence.</summary>
public sealed class EventFeedTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // X-2, TS-I1, TS-I2, TS-U1, TS-U4
    public async Task The_admin_feed_is_strictly_increasing_without_gaps_even_around_refusals()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var id = await world.Bind(shop, "s1", alice, "alice");
        await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "bob", role = "official" })); // full
        await Kit.Denied(await alice.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { reason = "early" })); // TS-Q1
        var bobInvite = await World.Invite(shop, "s1", "bob", "channel");
        await Kit.Expect(await bob.PostAsync($"/api/v1/invitations/{bobInvite}/decline", null), HttpStatusCode.OK);
        await Kit.Denied(await bob.PostAsync($"/api/v1/invitations/{bobInvite}/accept", null)); // TS-I2
        await world.Advance("PT24H");
        await World.RequestUnlink(alice, id);
        await world.Advance("P7D"); // auto-approved (TS-U4)

        var events = await Kit.Events(world.Admin);
        var seqs = events.Select(e => e["seq"]!.GetValue<long>()).ToArray();
        Assert.Equal(1, seqs[0]);
        for (var i = 1; i < seqs.Length; i++)
        {
            Assert.Equal(seqs[i - 1] + 1, seqs[i]);
        }

        // Small pages give the same feed.
        var paged = await Kit.Events(world.Admin, pageSize: 3);
        Assert.Equal(seqs, paged.Select(e => e["seq"]!.GetValue<long>()).ToArray());

        var binding = events.Where(e => e["subjectId"].S() == id || e["data"]?["bindingId"]?.GetValue<string>() == id).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["invitation.sent", "invitation.accepted", "binding.activated", "unlink_request.created", "unlink_request.auto_approved", "binding.ended"],
            binding);
        Assert.Contains(events, e => e["type"].S() == "invitation.declined" && e["subjectId"].S() == bobInvite);
    }

    [Fact]
    public async Task Polling_after_the_last_seen_sequence_returns_only_new_events()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var seen = await Kit.Events(world.Admin);
        var last = seen[^1]["seq"]!.GetValue<long>();

        var nothing = await Kit.Get(world.Admin, $"/api/v1/events?after={last}");
        Assert.Empty(nothing["items"].A());
        Assert.Null(nothing["next"]);

        var id = await World.Invite(shop, "s1", "alice");
        var fresh = await Kit.Get(world.Admin, $"/api/v1/events?after={last}");
        var e = Assert.Single(fresh["items"].A())!;
        Assert.Equal(last + 1, e["seq"]!.GetValue<long>());
        Assert.Equal("invitation.sent", e["type"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), e["at"].S());
        Assert.Equal(id, e["data"]!["bindingId"].S());
        Assert.Equal("official", e["data"]!["role"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(48)), e["data"]!["expiresAt"].S());

        var limited = await Kit.Get(world.Admin, "/api/v1/events?after=0&limit=1");
        Assert.Single(limited["items"].A());
        Assert.Equal(1, limited["next"]!.GetValue<long>());
    }
}
