using System.Net;
using System.Net.Http.Json;

namespace Bindery.Server.Tests;

/// <summary>
/// One settle may find several time-driven transitions due at once (a long quiet spell, a clock moved by weeks):
/// they apply in the order they fell due and each binding ends once (found by the multi-node test, ADR 0011).
/// </summary>
public sealed class SettleOrderTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // DY-L1, DY-L2, X-2
    public async Task A_deletion_and_a_closure_due_in_one_settle_end_a_binding_once_for_the_earlier_reason()
    {
        var admin = factory.Admin();
        async Task<HttpClient> Account(string id, string type)
        {
            await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/accounts", new
            {
                id, handle = id.Replace('-', '.'), registrationCountry = "CN", birthDate = "1994-04-04", origin = "douyin", type,
                realNameVerified = true, phone = "+8613800000000",
            }), HttpStatusCode.Created);
            var token = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = id }), HttpStatusCode.Created);
            return factory.As(token["token"].S(), country: null);
        }
        await Account("boss", "enterprise");
        var leaver = await Account("leaver", "personal");
        await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id = "dy1", name = "店铺 dy1", policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise",
            mainAccountId = "boss", paymentAccount = "pay-dy1",
        }), HttpStatusCode.Created);
        var shopToken = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "dy1" }), HttpStatusCode.Created);
        var shop = factory.As(shopToken["token"].S(), country: null);
        var id = await World.Invite(shop, "dy1", "leaver", "showcase");
        await Kit.Expect(await leaver.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        await Kit.Expect(await leaver.PostAsync("/api/v1/accounts/leaver/deletion", null), HttpStatusCode.OK);   // ends the binding on day 7
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { }), HttpStatusCode.OK);     // closes the shop on day 30
        var before = await Kit.EventCount(admin);

        factory.Clock.Advance(TimeSpan.FromDays(31)); // both fall due before anything reads

        var binding = await Kit.Get(shop, $"/api/v1/bindings/{id}");
        Assert.Equal("ended", binding["state"].S());
        Assert.Equal(Kit.At(TimeSpan.FromDays(7)), binding["endedAt"].S());
        var events = (await Kit.Events(admin)).Skip(before).ToList();
        var ended = Assert.Single(events, e => e["type"].S() == "binding.ended");
        Assert.Equal("account_deleted", ended["data"]!["reason"].S());
        Assert.Single(events, e => e["type"].S() == "shop.closed");
    }
}
