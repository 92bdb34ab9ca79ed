using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>`bindery policy validate FILE`: offline, the server's own parser, every error with its line.</summary>
public sealed class PolicyValidateTests
{
    private static readonly string Preset = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "tiktok-shop.json"));

    // No server and no login: validation is offline, so any request fails the test.
    private static CliHarness Offline() => new(() => new StubHandler(_ => throw new InvalidOperationException("policy validate must not call the server")));

    [Fact] // TS-B1, TS-B2, TS-E2, TS-I1: the shipped preset reads back in words
    public async Task The_shipped_preset_is_valid_and_described_in_words()
    {
        using var h = Offline();
        var file = h.Write("tiktok-shop.json", Preset);

        var r = await h.Run("policy", "validate", file);

        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("is valid", r.Out, StringComparison.Ordinal);
        Assert.Contains("TikTok Shop (tiktok-shop, version 1)", r.Out, StringComparison.Ordinal);
        Assert.Contains("regular merchants: 1 official, 0 channel; invited merchants: 1 official, 4 channel", r.Out, StringComparison.Ordinal);
        Assert.Contains("at least 18 years old", r.Out, StringComparison.Ordinal);
        Assert.Contains("expires after 48 hours", r.Out, StringComparison.Ordinal);
        Assert.Contains("at most 10 per 180 days", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_error_is_printed_with_its_line_and_the_exit_code_is_1()
    {
        using var h = Offline();
        var file = h.Write("tiktok-shop.json", Preset
            .Replace("\"PT48H\"", "\"48h\"", StringComparison.Ordinal)
            .Replace("\"invited\": { \"official\": 1, \"channel\": 4 }", "\"invited\": { \"official\": 1 }", StringComparison.Ordinal));

        var r = await h.Run("policy", "validate", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains($"{file}:13: capacity.invited.channel: is required", r.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}:29: invitation.expiresAfter: must be an exact ISO 8601 duration", r.Out, StringComparison.Ordinal);
        Assert.Contains("is not valid: 2 errors", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_is_reported_at_its_line()
    {
        using var h = Offline();
        var file = h.Write("tiktok-shop.json", Preset.Replace("\"channel\": 0 },   // TS-B1", "\"channel\": 0 }   // TS-B1", StringComparison.Ordinal));

        var r = await h.Run("policy", "validate", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains($"{file}:13: line 13, position", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_id_must_match_the_file_name_as_the_server_requires()
    {
        using var h = Offline();
        var file = h.Write("my-shop.json", Preset);

        var r = await h.Run("policy", "validate", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains($"{file}:3: id: is 'tiktok-shop' but the file is named 'my-shop.json'", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_json_the_errors_are_a_list_of_lines_and_messages()
    {
        using var h = Offline();
        var file = h.Write("tiktok-shop.json", Preset.Replace("\"minimumAge\": 18", "\"minimumAge\": \"adult\"", StringComparison.Ordinal));

        var r = await h.Run("policy", "validate", file, "--json");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.False(doc["valid"]!.GetValue<bool>());
        var error = doc["errors"]!.AsArray().Single()!;
        Assert.Equal(21, error["line"]!.GetValue<int>());
        Assert.StartsWith("eligibility.minimumAge:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        using var h = Offline();

        var r = await h.Run("policy", "validate", h.File("nope.json"));

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("no such file", r.Err, StringComparison.Ordinal);
    }

    [Fact] // DY-B3: `policy validate` refuses a ruleIds key the rule catalog does not know, at its line
    public async Task A_mistyped_rule_key_is_refused_at_its_line()
    {
        using var h = Offline();
        var douyin = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "douyin.json"))
            .Replace("\"capacity.regular.showcase\"", "\"capacity.regular.showcse\"", StringComparison.Ordinal);
        var line = douyin.Split('\n').ToList().FindIndex(l => l.Contains("capacity.regular.showcse", StringComparison.Ordinal)) + 1;
        var file = h.Write("douyin.json", douyin);

        var r = await h.Run("policy", "validate", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains($"{file}:{line}: ruleIds.capacity.regular.showcse: unknown rule key; known keys: ", r.Out, StringComparison.Ordinal);
    }
}
