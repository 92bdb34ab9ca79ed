using System.Text.Json;
using System.Text.Json.Nodes;
using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>The shipped preset carries every TS value of the spec; a broken document names each failing field.</summary>
public sealed class PolicyParserTests
{
    private static JsonObject PresetJson() =>
        JsonNode.Parse(PresetText, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();

    private static PolicyException Broken(Action<JsonObject> breakIt)
    {
        var json = PresetJson();
        breakIt(json);
        return Assert.Throws<PolicyException>(() => PolicyParser.Parse(json.ToJsonString(), "broken.json"));
    }

    private static void AssertNames(PolicyException e, string path) =>
        Assert.Contains(e.Errors, error => error.StartsWith(path + ":", StringComparison.Ordinal) || error.StartsWith(path + "[", StringComparison.Ordinal));

    [Fact] // TS-B1, TS-B2, TS-B4, TS-Q5, TS-E2, TS-E3, TS-E4, TS-E7, TS-I1, TS-Q1, TS-Q2, TS-Q3, TS-U4
    public void The_shipped_preset_has_every_TikTok_Shop_value_of_the_spec()
    {
        var p = Preset;

        Assert.Equal("tiktok-shop", p.Id);
        Assert.Equal(1, p.Version);
        Assert.Equal("TikTok Shop", p.Name);
        Assert.Equal(new RoleTraits(ProductsSyncAutomatically: true, MayAddProductsByHand: true), p.Official); // TS-B4
        Assert.Equal(new RoleTraits(ProductsSyncAutomatically: false, MayAddProductsByHand: true), p.Channel); // TS-B4
        Assert.Equal(new RoleLimits(1, 0), p.RegularCapacity);       // TS-B1
        Assert.Equal(new RoleLimits(1, 4), p.InvitedCapacity);       // TS-B2
        Assert.Equal(new RoleLimits(1, 0), p.ProbationIndividual);   // TS-Q5
        Assert.Equal(new RoleLimits(1, 1), p.ProbationBusiness);     // TS-Q5
        Assert.Equal(18, p.MinimumAge);                               // TS-E2
        Assert.True(p.AccountCountryMustMatchShop);                   // TS-E3
        Assert.True(p.CallerCountryCheckedOn.SetEquals([BindingAction.Invite, BindingAction.Accept, BindingAction.RequestUnlink])); // TS-E4
        Assert.True(p.SupportCannotFixRegistrationCountries.SetEquals(["US"])); // TS-E7
        Assert.Null(p.AllowedOrigins);
        Assert.Equal(TimeSpan.FromHours(48), p.InvitationTtl);       // TS-I1
        Assert.Equal(TimeSpan.FromHours(24), p.MinimumActiveBeforeUnbind); // TS-Q1
        Assert.Equal(3, p.OfficialUnbindsPerLifetime);                // TS-Q2
        Assert.Equal(10, p.ChannelBindLimit);                         // TS-Q3
        Assert.Equal(TimeSpan.FromDays(180), p.ChannelBindWindow);    // TS-Q3
        Assert.Equal(TimeSpan.FromDays(7), p.UnlinkAutoApproveAfter); // TS-U4
    }

    [Fact]
    public void The_preset_capacity_helpers_pick_by_merchant_type_and_shop_kind()
    {
        Assert.Equal(4, Preset.Capacity(MerchantType.Invited).For(BindingRole.Channel));
        Assert.Equal(0, Preset.Capacity(MerchantType.Regular).For(BindingRole.Channel));
        Assert.Equal(1, Preset.Probation(ShopKind.Business)!.For(BindingRole.Channel));
        Assert.Equal(0, Preset.Probation(ShopKind.Individual)!.For(BindingRole.Channel));
    }

    [Fact]
    public void A_missing_field_is_named_by_its_path()
    {
        var e = Broken(j => j["capacity"]!["invited"]!.AsObject().Remove("channel"));

        Assert.Equal(["capacity.invited.channel: is required"], e.Errors);
        Assert.Equal("broken.json", e.PolicySource);
        Assert.Contains("broken.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("capacity.invited.channel", e.Message, StringComparison.Ordinal);
    }

    [Theory] // TS-I1: durations are exact; months have no fixed length, and "48h" is not ISO 8601
    [InlineData("P1M")]
    [InlineData("48h")]
    [InlineData("P1Y")]
    [InlineData("PT0S")]
    [InlineData("")]
    public void An_inexact_or_malformed_expiry_is_named_by_its_path(string value)
    {
        var e = Broken(j => j["invitation"]!["expiresAfter"] = value);

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("invitation.expiresAfter: must be an exact ISO 8601 duration", error, StringComparison.Ordinal);
    }

    [Fact] // TS-I1: an absurdly long duration is an error naming the field, not a crash
    public void An_overflowing_duration_is_named_by_its_path()
    {
        var e = Broken(j => j["invitation"]!["expiresAfter"] = "P99999999999999999999999999W");

        Assert.StartsWith("invitation.expiresAfter: ", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact] // TS-Q1: zero is a valid minimum active duration (no delay)
    public void A_zero_minimum_active_duration_is_allowed()
    {
        var json = PresetJson();
        json["unbind"]!["minimumActiveDuration"] = "PT0S";

        Assert.Equal(TimeSpan.Zero, PolicyParser.Parse(json.ToJsonString(), "zero.json").MinimumActiveBeforeUnbind);
    }

    [Fact]
    public void Several_errors_are_collected_at_once()
    {
        var e = Broken(j =>
        {
            j["capacity"]!["invited"]!.AsObject().Remove("channel");
            j["invitation"]!["expiresAfter"] = "P1M";
            j["eligibility"]!["minimumAge"] = -1;
            j["eligibility"]!["callerCountryCheckedOn"] = new JsonArray("invite", "teleport");
            j["eligibility"]!["supportCannotFixRegistrationCountries"] = new JsonArray("us");
            j["roles"]!["channel"]!["mayAddProductsByHand"] = "yes";
            j["version"] = 0;
        });

        Assert.Equal(7, e.Errors.Count);
        AssertNames(e, "capacity.invited.channel");
        AssertNames(e, "invitation.expiresAfter");
        AssertNames(e, "eligibility.minimumAge");
        AssertNames(e, "eligibility.callerCountryCheckedOn");
        Assert.Contains("eligibility.callerCountryCheckedOn[1]: must be one of invite, accept, decline, cancel, request_unlink, approve_unlink, reject_unlink, unbind, apply_unbind", e.Errors);
        Assert.Contains("eligibility.supportCannotFixRegistrationCountries[0]: must be a two-letter upper-case country code such as \"US\"", e.Errors);
        AssertNames(e, "roles.channel.mayAddProductsByHand");
        AssertNames(e, "version");
    }

    [Fact]
    public void Optional_limits_may_be_null_meaning_unlimited()
    {
        var json = PresetJson();
        json["unbind"]!["officialUnbindsPerLifetime"] = null;
        json["channelBinds"]!.AsObject().Remove("limit");

        var policy = PolicyParser.Parse(json.ToJsonString(), "unlimited.json");

        Assert.Null(policy.OfficialUnbindsPerLifetime);
        Assert.Null(policy.ChannelBindLimit);
    }

    [Fact]
    public void A_negative_optional_limit_is_refused()
    {
        var e = Broken(j => j["channelBinds"]!["limit"] = -1);

        Assert.Equal(["channelBinds.limit: must be a whole number ≥ 0"], e.Errors);
    }

    [Fact]
    public void Allowed_origins_parse_when_listed()
    {
        var json = PresetJson();
        json["eligibility"]!["allowedOrigins"] = new JsonArray("douyin");

        var policy = PolicyParser.Parse(json.ToJsonString(), "douyin-only.json");

        Assert.True(policy.AllowedOrigins!.SetEquals([AccountOrigin.Douyin]));
    }

    [Fact]
    public void An_invalid_id_is_refused()
    {
        var e = Broken(j => j["id"] = "tiktok shop/1");

        Assert.Equal(["id: must be letters, digits, '-', '_' or '.' (at most 64)"], e.Errors);
    }

    [Fact]
    public void Invalid_json_reports_the_line()
    {
        var lines = PresetText.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains("\"minimumAge\"", StringComparison.Ordinal));
        Assert.True(index > 0);
        lines[index] = lines[index].Replace("18", "eighteen", StringComparison.Ordinal);

        var e = Assert.Throws<PolicyException>(() => PolicyParser.Parse(string.Join('\n', lines), "typo.json"));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith($"line {index + 1}, ", error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_on_the_first_line_reports_line_1()
    {
        var e = Assert.Throws<PolicyException>(() => PolicyParser.Parse("{ \"id\": ", "cut.json"));

        Assert.StartsWith("line 1, ", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_object_names_every_required_field()
    {
        var e = Assert.Throws<PolicyException>(() => PolicyParser.Parse("{}", "empty.json"));

        foreach (var path in new[]
        {
            "id", "version", "name", "roles.official.productsSyncAutomatically", "roles.channel.mayAddProductsByHand",
            "capacity.regular.official", "capacity.invited.channel",
            "eligibility.minimumAge", "eligibility.accountCountryMustMatchShop", "eligibility.callerCountryCheckedOn",
            "eligibility.supportCannotFixRegistrationCountries", "invitation.expiresAfter", "unbind.minimumActiveDuration",
            "unlinkRequest.autoApproveAfter",
        })
        {
            Assert.Contains(path + ": is required", e.Errors);
        }
        Assert.DoesNotContain(e.Errors, error => error.StartsWith("eligibility.allowedOrigins", StringComparison.Ordinal));
        // Optional sections: a policy without them has no probation, no channel-bind quota, no Douyin workflows.
        foreach (var optional in new[] { "probation", "channelBinds", "ruleIds", "closure", "mainAccount", "unbindApplication", "roles.showcase" })
        {
            Assert.DoesNotContain(e.Errors, error => error.StartsWith(optional, StringComparison.Ordinal));
        }
    }
}
