using System.Net;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>
/// The documented exit codes (0 ok, 1 refused by a rule, 2 usage, 3 server/network) for every kind of outcome, with
/// the server's answer stubbed: these are answers a healthy test host does not give (5xx, no answer at all).
/// </summary>
public sealed class ExitCodeTests
{
    private const string Denial = """
        {"type":"urn:bindery:problem:rule-denied","title":"The action is refused by the binding rules.","status":409,
         "detail":"[TS-E2] The account holder must be at least 18 years old.","code":"rule_denied","rules":["TS-E2","TS-E4"],
         "reasons":[{"rule":"TS-E2","code":"account_under_age","message":"The account holder must be at least 18 years old.","messages":{},"passesAt":"2028-11-21T00:00:00Z","supportCanHelp":true},
                    {"rule":"TS-E4","code":"caller_country_mismatch","message":"Your network address is in US, not in the shop's operating country GB.","messages":{},"passesAt":null,"supportCanHelp":false}],
         "passesAt":null}
        """;

    private static CliHarness Harness(Func<SeenRequest, HttpResponseMessage> answer, out StubHandler stub)
    {
        var handler = new StubHandler(answer);
        stub = handler;
        var h = new CliHarness(() => handler);
        h.Environment["BINDERY_SERVER"] = "http://bindery.test";
        h.Environment["BINDERY_TOKEN"] = "t0ken";
        return h;
    }

    [Theory]
    [InlineData(409, "rule_denied", ExitCodes.Refused)]
    [InlineData(409, "conflict", ExitCodes.Server)]
    [InlineData(400, "validation_failed", ExitCodes.Usage)]
    [InlineData(400, "malformed_request", ExitCodes.Usage)]
    [InlineData(401, "unauthorized", ExitCodes.Server)]
    [InlineData(403, "forbidden", ExitCodes.Server)]
    [InlineData(404, "not_found", ExitCodes.Server)]
    [InlineData(500, "internal_error", ExitCodes.Server)]
    [InlineData(503, null, ExitCodes.Server)]
    public void A_problem_maps_to_its_exit_code(int status, string? code, int exit)
    {
        Assert.Equal(exit, ExitCodes.ForProblem(status, code));
    }

    [Fact] // a denial shows every rule, its message and when it passes
    public async Task A_rule_denial_exits_1_with_every_reason_in_a_table()
    {
        using var h = Harness(_ => StubHandler.Problem(409, Denial), out _);

        var r = await h.Run("invite", "shop-gb", "--handle", "teen.gamer", "--role", "official");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains("Refused: The action is refused by the binding rules.", r.Err, StringComparison.Ordinal);
        Assert.Contains("TS-E2", r.Err, StringComparison.Ordinal);
        Assert.Contains("TS-E4", r.Err, StringComparison.Ordinal);
        Assert.Contains("2028-11-21T00:00:00Z", r.Err, StringComparison.Ordinal);
        Assert.Contains("not by waiting", r.Err, StringComparison.Ordinal);
        Assert.Contains("Waiting alone will not make every rule pass.", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_json_a_denial_is_the_problem_document_on_stdout()
    {
        using var h = Harness(_ => StubHandler.Problem(409, Denial), out _);

        var r = await h.Run("--json", "invite", "shop-gb", "--handle", "teen.gamer", "--role", "official");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(r.Out)!;
        Assert.Equal("rule_denied", doc["code"]!.GetValue<string>());
        Assert.Equal(2, doc["reasons"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_server_error_exits_3_with_the_problem_title_and_detail()
    {
        using var h = Harness(_ => StubHandler.Problem(500,
            """{"type":"urn:bindery:problem:internal-error","title":"An unexpected error occurred; nothing was changed.","status":500,"detail":"trace 42","code":"internal_error"}"""), out _);

        var r = await h.Run("quotas", "shop-gb");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("Error 500 internal_error: An unexpected error occurred; nothing was changed.", r.Err, StringComparison.Ordinal);
        Assert.Contains("trace 42", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_problem_error_body_still_exits_3_and_says_what_came()
    {
        using var h = Harness(_ => StubHandler.Json(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html"), out _);

        var r = await h.Run("shops");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("502", r.Err, StringComparison.Ordinal);
        Assert.Contains("bad gateway", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_3()
    {
        using var h = Harness(_ => throw new HttpRequestException("Connection refused (bindery.test:80)"), out _);

        var r = await h.Run("shops");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("Cannot reach the Bindery server at http://bindery.test/", r.Err, StringComparison.Ordinal);
        Assert.Contains("Connection refused", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validation_problem_exits_2_and_lists_the_fields()
    {
        using var h = Harness(_ => StubHandler.Problem(400,
            """{"title":"The request has invalid fields.","status":400,"detail":"role: must be one of official, channel, showcase","code":"validation_failed","errors":{"role":["must be one of official, channel, showcase"]}}"""), out _);

        var r = await h.Run("invite", "shop-gb", "--account", "acc-1", "--role", "boss");

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("role: must be one of official, channel, showcase", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("shops", "--bogus")]
    [InlineData("invite", "shop-gb", "--role", "official")]                          // neither --handle nor --account
    [InlineData("invite", "shop-gb", "--handle", "a", "--account", "b", "--role", "official")]
    [InlineData("history")]                                                          // neither --shop nor --account
    [InlineData("export", "everything")]
    [InlineData("import", "widgets", "x.csv")]
    [InlineData("policy")]
    public async Task A_bad_command_line_exits_2_before_any_request(params string[] args)
    {
        using var h = Harness(_ => throw new InvalidOperationException("no request expected"), out var stub);

        var r = await h.Run(args);

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("bindery --help", r.Err, StringComparison.Ordinal);
        Assert.Empty(stub.Seen);
    }

    [Fact]
    public async Task Without_a_server_or_token_a_command_exits_2_and_says_how_to_log_in()
    {
        using var h = new CliHarness(() => new StubHandler(_ => throw new InvalidOperationException("no request expected")));

        var r = await h.Run("shops");

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("bindery login --server URL --token TOKEN", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        using var h = Harness(_ => throw new InvalidOperationException("no request expected"), out _);

        var r = await h.Run("--help");

        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Contains("import", r.Out, StringComparison.Ordinal);
        Assert.Contains("--json", r.Out, StringComparison.Ordinal);
    }
}
