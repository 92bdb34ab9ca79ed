using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>X-1: every change is in an append-only history, listed and exported per shop and per account.</summary>
public sealed class HistoryTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private async Task<(World World, HttpClient Shop, HttpClient Alice, string Binding)> Lifecycle()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");
        await world.Advance("PT24H");
        await World.Unbind(shop, alice, id);
        return (world, shop, alice, id);
    }

    [Fact] // X-1, TS-U3, TS-I1, TS-U1
    public async Task The_shop_history_says_who_did_what_with_before_and_after()
    {
        var (_, shop, _, id) = await Lifecycle();

        var page = await Kit.Get(shop, "/api/v1/shops/s1/history");
        Assert.Null(page["next"]);
        var all = page["items"].A();
        Assert.Equal("shop.created", all[0]!["action"].S());
        Assert.Equal("admin", all[0]!["actor"].S());
        var seqs = all.Select(h => h!["seq"]!.GetValue<long>()).ToArray();
        Assert.Equal(seqs.Order().ToArray(), seqs); // oldest first

        var binding = all.Where(h => h!["subjectId"].S() == id).ToArray();
        Assert.Equal(["invitation.sent", "invitation.accepted", "binding.unlink_requested", "binding.ended"],
            binding.Select(h => h!["action"].S()).ToArray());
        Assert.Equal(["merchant:s1", "creator:alice", "creator:alice", "merchant:s1"], binding.Select(h => h!["actor"].S()).ToArray());
        Assert.All(binding, h =>
        {
            Assert.Equal("s1", h!["shopId"].S());
            Assert.Equal("alice", h["accountId"].S());
            Assert.Equal("binding", h["subjectType"].S());
        });

        var sent = binding[0]!;
        Assert.Null(sent["before"]);
        Assert.Equal("invited", sent["after"]!["state"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), sent["at"].S());
        var accepted = binding[1]!;
        Assert.Equal("invited", accepted["before"]!["state"].S());
        Assert.Equal("active", accepted["after"]!["state"].S());
        Assert.Null(accepted["before"]!["activatedAt"]);
        Assert.Equal(Kit.Iso(BinderyFactory.Start), accepted["after"]!["activatedAt"].S());
        var ended = binding[3]!;
        Assert.Equal("unlink_requested", ended["before"]!["state"].S());
        Assert.Equal("ended", ended["after"]!["state"].S());
        Assert.Equal("merchant:s1", ended["after"]!["endedBy"].S());
        Assert.Equal("unlink_approved", ended["after"]!["endReason"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), ended["at"].S());

        var decided = Assert.Single(all, h => h!["action"].S() == "unlink_request.approved")!;
        Assert.Equal("merchant:s1", decided["actor"].S());
        Assert.Equal("pending", decided["before"]!["state"].S());
        Assert.Equal("approved", decided["after"]!["state"].S());
    }

    [Fact]
    public async Task The_account_history_lists_the_same_binding_changes()
    {
        var (world, shop, alice, id) = await Lifecycle();

        var forAccount = (await Kit.Get(alice, "/api/v1/accounts/alice/history"))["items"].A();
        Assert.Equal("account.created", forAccount[0]!["action"].S());
        Assert.All(forAccount, h => Assert.Equal("alice", h!["accountId"].S()));
        var fromShop = (await Kit.Get(shop, "/api/v1/shops/s1/history"))["items"].A().Where(h => h!["subjectId"].S() == id).Select(h => h!["seq"]!.GetValue<long>());
        var fromAccount = forAccount.Where(h => h!["subjectId"].S() == id).Select(h => h!["seq"]!.GetValue<long>());
        Assert.Equal(fromShop, fromAccount);
        Assert.NotEmpty(fromAccount);
        // The admin reads it too.
        Assert.Equal(forAccount.Count, (await Kit.Get(world.Admin, "/api/v1/accounts/alice/history"))["items"].A().Count);
    }

    [Fact]
    public async Task History_pages_by_sequence()
    {
        var (_, shop, _, _) = await Lifecycle();
        var all = (await Kit.Get(shop, "/api/v1/shops/s1/history"))["items"].A().Select(h => h!["seq"]!.GetValue<long>()).ToArray();

        var paged = new List<long>();
        long after = 0;
        var pages = 0;
        while (true)
        {
            var page = await Kit.Get(shop, $"/api/v1/shops/s1/history?after={after}&limit=2");
            Assert.True(page["items"].A().Count <= 2);
            paged.AddRange(page["items"].A().Select(h => h!["seq"]!.GetValue<long>()));
            pages++;
            if (page["next"] is null)
            {
                break;
            }
            after = page["next"]!.GetValue<long>();
        }
        Assert.Equal(all, paged);
        Assert.True(pages >= 3);
    }

    [Fact] // X-1, Z-5
    public async Task Format_csv_exports_the_history_as_text_csv()
    {
        var (_, shop, _, id) = await Lifecycle();
        var json = (await Kit.Get(shop, "/api/v1/shops/s1/history"))["items"].A();

        var r = await shop.GetAsync("/api/v1/shops/s1/history?format=csv");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType?.MediaType);
        var lines = (await r.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("seq,at,actor,client_address,shop_id,account_id,subject_type,subject_id,action,before,after", lines[0]);
        Assert.Equal(json.Count + 1, lines.Length);
        var sent = Assert.Single(lines, l => l.Contains(",invitation.sent,", StringComparison.Ordinal));
        Assert.StartsWith(json.Single(h => h!["action"].S() == "invitation.sent")!["seq"]!.GetValue<long>() + ",2026-03-02T08:00:00Z,merchant:s1,", sent);
        Assert.Contains($",s1,alice,binding,{id},invitation.sent,", sent, StringComparison.Ordinal);
        // The JSON snapshot is one quoted cell.
        Assert.Contains("\"{\"\"id\"\":", sent, StringComparison.Ordinal);
    }

    [Fact] // X-1, Z-5, TS-I2
    public async Task A_csv_export_holds_the_whole_history_beyond_one_page()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        for (var i = 0; i < 60; i++)
        {
            var id = await World.Invite(shop, "s1", "alice");
            await Kit.Expect(await shop.PostAsync($"/api/v1/invitations/{id}/cancel", null), HttpStatusCode.OK);
        }
        // shop.created, token.minted and 60 × (invitation.sent, invitation.cancelled): more than the default page of 100.
        var expected = 2 + (60 * 2);

        var r = await shop.GetAsync("/api/v1/shops/s1/history?format=csv");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var lines = (await r.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected + 1, lines.Length);
        var seqs = lines.Skip(1).Select(l => long.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)])).ToArray();
        Assert.Equal(seqs.Order().Distinct().ToArray(), seqs);

        // With an explicit limit the export is one page, and the Link header says where the next one starts.
        var page = await shop.GetAsync("/api/v1/shops/s1/history?format=csv&limit=50");
        var pageLines = (await page.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(51, pageLines.Length);
        var link = string.Join(",", page.Headers.GetValues("Link"));
        Assert.Contains($"after={seqs[49]}", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
        var last = await shop.GetAsync($"/api/v1/shops/s1/history?format=csv&limit=100&after={seqs[49]}");
        Assert.Equal(expected - 50 + 1, (await last.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(last.Headers.Contains("Link"));
    }
}
