using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>Builds a test's own shops, accounts and tokens through the public API.</summary>
public sealed class World(BinderyFactory factory)
{
    private readonly HttpClient admin = factory.Admin();

    public HttpClient Admin => admin;

    /// <summary>Creates a shop and returns a client acting as its merchant.</summary>
    public async Task<HttpClient> Shop(string id, string merchantType = "invited", string country = "GB", string kind = "business",
        string? probationEndsAt = null)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new { id, name = "Shop " + id, country, merchantType, kind, probationEndsAt });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return factory.As(await Mint(new { kind = "merchant", shopId = id }), country);
    }

    /// <summary>Creates an account and returns a client acting as its creator.</summary>
    public async Task<HttpClient> Account(string id, string country = "GB", string birthDate = "1995-01-01", string status = "normal")
    {
        var r = await admin.PostAsJsonAsync("/api/v1/accounts", new { id, handle = id.Replace('-', '.'), registrationCountry = country, birthDate, status });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return factory.As(await Mint(new { kind = "creator", accountId = id }), country);
    }

    private async Task<string> Mint(object body)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/tokens", body);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Json())["token"]!.GetValue<string>();
    }

    /// <summary>Invites and accepts; returns the binding id.</summary>
    public async Task<string> Bind(HttpClient merchant, string shopId, HttpClient creator, string accountId, string role = "official")
    {
        var invite = await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/invitations", new { accountId, role });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var id = (await invite.Json())["id"]!.GetValue<string>();
        var accept = await creator.PostAsync($"/api/v1/invitations/{id}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        return id;
    }

    public static async Task<string[]> Rules(HttpResponseMessage r) =>
        (await r.Json())["rules"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
}
