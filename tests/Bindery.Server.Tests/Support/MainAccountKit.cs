using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>Douyin shops and accounts for the main-account tests (DY-M1..M4), built through the public API.</summary>
public sealed class MainAccountKit(BinderyFactory factory)
{
    public const string Phone = "+8613800000000";
    public const string MaskedPhone = "**********0000";

    public HttpClient Admin { get; } = factory.Admin();

    /// <summary>A Douyin account (real-name verified with a phone unless told otherwise) and a client acting as its creator.</summary>
    public async Task<HttpClient> Account(string id, bool realNameVerified = true, string? phone = Phone, string status = "normal")
    {
        var r = await Admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), origin = "douyin", registrationCountry = "CN", birthDate = "1992-02-02", status,
            realNameVerified, phone,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    /// <summary>A regular Douyin shop in CN whose main account is <paramref name="mainAccountId"/> (created here), and its merchant.</summary>
    public async Task<HttpClient> Shop(string id, string mainAccountId)
    {
        await Account(mainAccountId);
        var r = await Admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id, name = "店铺 " + id, policyId = "douyin", country = "CN", merchantType = "regular", mainAccountId,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), country: null);
    }

    public static Task<HttpResponseMessage> TryStart(HttpClient client, string shopId, string accountId) =>
        client.PostAsJsonAsync($"/api/v1/shops/{shopId}/main-account-changes", new { accountId });

    /// <summary>Starts a change (201) and returns its view.</summary>
    public static async Task<JsonNode> Start(HttpClient client, string shopId, string accountId) =>
        await Kit.Expect(await TryStart(client, shopId, accountId), HttpStatusCode.Created);

    public static Task<HttpResponseMessage> Verify(HttpClient client, string changeId, string code) =>
        client.PostAsJsonAsync($"/api/v1/main-account-changes/{changeId}/verify", new { code });

    /// <summary>The latest demo code of a change, as only the admin reads it from the event feed.</summary>
    public async Task<string> DemoCode(string changeId)
    {
        var e = (await Kit.Events(Admin)).Last(x => x["type"].S() == "main_account_change.demo_code" && x["data"]!["changeId"].S() == changeId);
        return e["data"]!["code"].S();
    }

    /// <summary>Starts a change and completes it with the demo code; returns the change id.</summary>
    public async Task<string> Change(HttpClient client, string shopId, string accountId)
    {
        var id = (await Start(client, shopId, accountId))["id"].S();
        await Kit.Expect(await Verify(client, id, await DemoCode(id)), HttpStatusCode.OK);
        return id;
    }

    /// <summary>A code of the same length that is certainly not <paramref name="code"/>.</summary>
    public static string Other(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public async Task Advance(string by) =>
        await Kit.Expect(await Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by }), HttpStatusCode.OK);
}
