using System.Net;
using System.Text.Json.Nodes;
using Bindery.Domain;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Tests;

/// <summary>Policies are data: the preset is served as loaded, and a broken file stops loading with a precise message.</summary>
public sealed class PolicyTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"bindery-policies-{Guid.NewGuid():N}");

    public void Dispose()
    {
        factory.Dispose();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Preset() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "tiktok-shop.json"));

    private string Write(string name, string json)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static string Edit(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact] // TS-B1, TS-B2, TS-B4, TS-E2, TS-E3, TS-E4, TS-E7, TS-I1, TS-Q1, TS-Q2, TS-Q3, TS-Q5, TS-U4
    public async Task The_tiktok_shop_preset_is_served_with_the_specs_values()
    {
        var merchant = await new World(factory).Shop("s1");
        var p = await Kit.Get(merchant, "/api/v1/policies/tiktok-shop");

        Assert.Equal("tiktok-shop", p["id"].S());
        Assert.Equal(1, p["version"].I());
        Assert.Equal("TikTok Shop", p["name"].S());
        Assert.True(p["roles"]!["official"]!["productsSyncAutomatically"].B());
        Assert.True(p["roles"]!["official"]!["mayAddProductsByHand"].B());
        Assert.False(p["roles"]!["channel"]!["productsSyncAutomatically"].B());
        Assert.True(p["roles"]!["channel"]!["mayAddProductsByHand"].B());
        Assert.Equal(1, p["capacity"]!["regular"]!["official"].I());
        Assert.Equal(0, p["capacity"]!["regular"]!["channel"].I());
        Assert.Equal(1, p["capacity"]!["invited"]!["official"].I());
        Assert.Equal(4, p["capacity"]!["invited"]!["channel"].I());
        Assert.Equal(1, p["probation"]!["individual"]!["official"].I());
        Assert.Equal(0, p["probation"]!["individual"]!["channel"].I());
        Assert.Equal(1, p["probation"]!["business"]!["official"].I());
        Assert.Equal(1, p["probation"]!["business"]!["channel"].I());
        var e = p["eligibility"]!;
        Assert.Equal(18, e["minimumAge"].I());
        Assert.True(e["accountCountryMustMatchShop"].B());
        Assert.Equal(["accept", "invite", "request_unlink"], e["callerCountryCheckedOn"].A().Select(x => x.S()).ToArray());
        Assert.Equal(["US"], e["supportCannotFixRegistrationCountries"].A().Select(x => x.S()).ToArray());
        Assert.Null(e["allowedOrigins"]);
        // Durations are exact and written the way the rules are published.
        Assert.Equal("PT48H", p["invitation"]!["expiresAfter"].S());
        Assert.Equal("PT24H", p["unbind"]!["minimumActiveDuration"].S());
        Assert.Equal(3, p["unbind"]!["officialUnbindsPerLifetime"].I());
        Assert.Equal(10, p["channelBinds"]!["limit"].I());
        Assert.Equal("P180D", p["channelBinds"]!["window"].S());
        Assert.Equal("P7D", p["unlinkRequest"]!["autoApproveAfter"].S());

        var list = await Kit.Get(merchant, "/api/v1/policies");
        Assert.Contains(list.A(), x => x!["id"].S() == "tiktok-shop");

        var source = await merchant.GetAsync("/api/v1/policies/tiktok-shop?format=source");
        Assert.Equal(HttpStatusCode.OK, source.StatusCode);
        Assert.Equal(Preset(), await source.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_broken_value_names_the_file_and_the_field()
    {
        var path = Write("tiktok-shop.json", Edit(Preset(), "\"expiresAfter\": \"PT48H\"", "\"expiresAfter\": \"48 hours\""));

        var e = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("invitation.expiresAfter", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.PolicySource);
    }

    [Fact]
    public void Every_broken_field_is_reported_at_once()
    {
        var json = Edit(Preset(), "\"minimumAge\": 18", "\"minimumAge\": -1");
        json = Edit(json, "\"limit\": 10", "\"limit\": \"ten\"");
        json = Edit(json, "\"supportCannotFixRegistrationCountries\": [\"US\"]", "\"supportCannotFixRegistrationCountries\": [\"usa\"]");
        var path = Write("tiktok-shop.json", json);

        var e = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains("tiktok-shop.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Errors, x => x.StartsWith("eligibility.minimumAge:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("channelBinds.limit:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("eligibility.supportCannotFixRegistrationCountries[0]:", StringComparison.Ordinal));
        Assert.Equal(path, e.PolicySource);
    }

    [Fact]
    public void A_missing_field_a_file_that_is_not_json_and_a_misnamed_file_are_refused_by_name()
    {
        Write("tiktok-shop.json", Edit(Preset(), "\"unlinkRequest\": { \"autoApproveAfter\": \"P7D\" }", "\"unlinkRequest\": { }"));
        var missing = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains("unlinkRequest.autoApproveAfter: is required", missing.Message, StringComparison.Ordinal);

        Write("tiktok-shop.json", "{ \"id\": \"tiktok-shop\", ");
        var notJson = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains("tiktok-shop.json", notJson.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", notJson.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "tiktok-shop.json"));
        Write("other.json", Preset());
        var misnamed = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains("other.json", misnamed.Message, StringComparison.Ordinal);
        Assert.Contains("id:", misnamed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_folder_loads_and_an_empty_or_missing_one_does_not()
    {
        var missing = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains(folder, missing.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(folder);
        Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));

        Write("tiktok-shop.json", Preset());
        var catalog = PolicyCatalog.LoadFolder(folder);
        Assert.Equal(TimeSpan.FromHours(48), catalog.Get("tiktok-shop").InvitationTtl);
    }

    [Fact] // DY-B3: a mistyped ruleIds key no longer falls back to a TikTok Shop id; the server does not start
    public void A_mistyped_rule_key_or_an_unknown_rule_id_stops_loading_naming_the_file_and_the_field()
    {
        var douyin = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "douyin.json"));
        var path = Write("douyin.json", Edit(douyin, "\"capacity.regular.showcase\": \"DY-B3\"", "\"capacity.regular.showcse\": \"DY-B3\""));
        var typo = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Equal(path, typo.PolicySource);
        Assert.Contains(path, typo.Message, StringComparison.Ordinal);
        Assert.Contains("ruleIds.capacity.regular.showcse: unknown rule key; known keys: ", typo.Message, StringComparison.Ordinal);

        Write("douyin.json", Edit(douyin, "\"shopStatus\": \"DY-L1\"", "\"shopStatus\": \"DY-L9\""));
        var unknown = Assert.Throws<PolicyException>(() => PolicyCatalog.LoadFolder(folder));
        Assert.Contains("ruleIds.shopStatus: \"DY-L9\" is not a rule id of the spec", unknown.Message, StringComparison.Ordinal);
    }
}
