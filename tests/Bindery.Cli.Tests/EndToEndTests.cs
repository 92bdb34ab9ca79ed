using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Cli.Csv;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>
/// The CLI against a real running Bindery host (in-process: the host's own handler, or Kestrel on 127.0.0.1):
/// login, bulk imports (Z-3), invite, check (X-4), quotas (Z-2), history (X-1), export (Z-5), unlink (TS-Q1, TS-U1).
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly CliServer server = new();
    private readonly CliHarness cli;

    public EndToEndTests()
    {
        cli = new CliHarness(server.Handler);
    }

    public void Dispose()
    {
        cli.Dispose();
        server.Dispose();
    }

    private async Task<CliResult> Ok(params string[] args)
    {
        var r = await cli.Run(args);
        Assert.True(r.Exit == ExitCodes.Ok, $"bindery {string.Join(' ', args)}: {r}");
        return r;
    }

    private async Task LoginAndImport(int accounts = 30)
    {
        await Ok("login", "--server", server.Url, "--token", "test-admin");
        await Ok("import", "shops", cli.Write("shops.csv", Files.ShopsCsv));
        await Ok("import", "accounts", cli.Write("accounts.csv", Files.Accounts(accounts)));
    }

    [Fact] // Z-3, X-4, TS-E2, TS-E4, TS-I1, Z-2, Z-5: the whole story of the issue, through the CLI only
    public async Task Login_import_twice_invite_check_refused_quotas_and_export()
    {
        cli.ChunkSize = 100; // several bulk requests for 251 rows

        var login = await Ok("login", "--server", server.Url, "--token", "test-admin");
        Assert.Contains("Logged in to", login.Out, StringComparison.Ordinal);

        var shops = await Ok("import", "shops", cli.Write("shops.csv", Files.ShopsCsv));
        Assert.Matches(@"created\s*│\s*2\s", shops.Out);

        // Z-3: 251 accounts in three requests; the second run of the same file creates nothing.
        var file = cli.Write("accounts.csv", Files.Accounts(250));
        var first = await Ok("import", "accounts", file);
        Assert.Matches(@"created\s*│\s*251\s", first.Out);
        var events = await server.EventCount();
        cli.RunId = "second-run";
        var second = await Ok("import", "accounts", file, "--json");
        var summary = JsonNode.Parse(second.Out)!;
        Assert.Equal(251, summary["exists"]!.GetValue<long>());
        Assert.Equal(0, summary["created"]!.GetValue<long>());
        Assert.Equal(0, summary["refused"]!.GetValue<long>() + summary["failed"]!.GetValue<long>());
        Assert.Null(summary["rejectedFile"]);
        Assert.Equal(events, await server.EventCount());

        // TS-I1: the merchant invites @user.7 as the official account, from the shop's country.
        var merchant = await server.Token("merchant", shopId: "shop-gb");
        var invite = await Ok("invite", "shop-gb", "--handle", "user.7", "--role", "official", "--token", merchant, "--country", "GB", "--json");
        var invitation = JsonNode.Parse(invite.Out)!;
        Assert.Equal("invited", invitation["state"]!.GetValue<string>());
        Assert.Equal("acc-7", invitation["accountId"]!.GetValue<string>());

        // X-4: a 16-year-old invited from a US network address: refused, exit 1, every rule with its id and when it passes.
        var check = await cli.Run("check", "invite", "--shop", "shop-gb", "--handle", "teen.kid", "--role", "channel", "--token", merchant, "--country", "US");
        Assert.Equal(ExitCodes.Refused, check.Exit);
        Assert.Contains("Refused: invite", check.Out, StringComparison.Ordinal);
        Assert.Contains("TS-E2", check.Out, StringComparison.Ordinal);
        Assert.Contains("TS-E4", check.Out, StringComparison.Ordinal);
        Assert.Contains("2028-06-15", check.Out, StringComparison.Ordinal);   // the 18th birthday: when TS-E2 passes
        Assert.Contains("not by waiting", check.Out, StringComparison.Ordinal); // TS-E4 never passes by waiting

        // Z-2: quotas as a table.
        var quotas = await Ok("quotas", "shop-gb", "--token", merchant);
        Assert.Contains("TS-Q2", quotas.Out, StringComparison.Ordinal);
        Assert.Contains("TS-Q3", quotas.Out, StringComparison.Ordinal);

        // Z-5: the invitation is in the bindings export, streamed to a file.
        var export = cli.File("bindings.csv");
        var exported = await Ok("export", "bindings", "--shop", "shop-gb", "--format", "csv", "--include-invitations", "--out", export);
        Assert.Contains("Wrote", exported.Out, StringComparison.Ordinal);
        var rows = CsvReader.Read(new StringReader(File.ReadAllText(export))).ToList();
        Assert.True(rows.Count >= 2, File.ReadAllText(export));
        Assert.Contains(rows.Skip(1), r => r.Fields.Contains(invitation["id"]!.GetValue<string>()));
        Assert.False(File.Exists(export + ".partial"));
    }

    [Fact] // X-4: messages in the language asked for; Chinese renders in the table
    public async Task Check_in_Chinese_shows_the_chinese_messages()
    {
        await LoginAndImport();
        var merchant = await server.Token("merchant", shopId: "shop-gb");

        var r = await cli.Run("check", "invite", "--shop", "shop-gb", "--handle", "teen.kid", "--role", "official", "--token", merchant, "--country", "GB", "--lang", "zh-CN");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Contains("TS-E2", r.Out, StringComparison.Ordinal);
        Assert.Contains("18 周岁", r.Out, StringComparison.Ordinal);
    }

    [Fact] // X-4: with --json the check is the server's document and the exit code still says refused
    public async Task Check_with_json_writes_the_servers_answer_and_exits_1_when_refused()
    {
        await LoginAndImport();

        var r = await cli.Run("check", "invite", "--shop", "shop-gb", "--handle", "teen.kid", "--role", "official", "--country", "GB", "--json");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.False(doc["allowed"]!.GetValue<bool>());
        Assert.Contains(doc["reasons"]!.AsArray(), x => x!["rule"]!.GetValue<string>() == "TS-E2");
    }

    [Fact] // Z-3, TS-E2: an invitation file with a refused row: the rest go in, the refused one lands in the rejected file
    public async Task Importing_invitations_puts_the_refused_rows_in_the_rejected_file_with_their_rule_ids()
    {
        await LoginAndImport();
        var file = cli.Write("invitations.csv",
            "shopId,handle,role\r\n" +
            "shop-gb,user.1,official\r\n" +
            "shop-gb,teen.kid,channel\r\n" +
            "shop-gb,user.2,channel\r\n");

        var r = await cli.Run("import", "invitations", file, "--country", "GB");

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Matches(@"created\s*│\s*2\s", r.Out);
        Assert.Matches(@"refused \(by a rule\)\s*│\s*1\s", r.Out);
        var rejected = CsvReader.Read(new StringReader(File.ReadAllText(cli.File("invitations.rejected.csv")))).Select(x => x.Fields).ToList();
        Assert.Equal(["shopId", "handle", "role", "error_code", "error_rules", "error_message"], rejected[0]);
        Assert.Equal(["shop-gb", "teen.kid", "channel"], rejected[1][..3]);
        Assert.Contains("TS-E2", rejected[1][4], StringComparison.Ordinal);
        Assert.Contains("[TS-E2]", rejected[1][5], StringComparison.Ordinal);
        Assert.Equal(2, rejected.Count);
    }

    [Fact] // Z-3: invalid rows fail one by one; the valid rows of the same request are created
    public async Task Invalid_accounts_fail_alone_and_are_written_back_for_fixing()
    {
        await Ok("login", "--server", server.Url, "--token", "test-admin");
        var file = cli.Write("accounts.csv",
            "id,handle,origin,registrationCountry,birthDate,status\r\n" +
            "acc-ok,fine.one,tiktok,GB,1990-01-01,normal\r\n" +
            "acc-bad,fine.two,tiktok,Britain,1990-01-01,normal\r\n");

        var r = await cli.Run("import", "accounts", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Matches(@"created\s*│\s*1\s", r.Out);
        Assert.Matches(@"failed \(invalid row\)\s*│\s*1\s", r.Out);
        var rejected = File.ReadAllText(cli.File("accounts.rejected.csv"));
        Assert.Contains("acc-bad", rejected, StringComparison.Ordinal);
        Assert.Contains("registrationCountry", rejected, StringComparison.Ordinal);
        Assert.DoesNotContain("acc-ok", rejected, StringComparison.Ordinal);
    }

    [Fact] // Z-3: a chunk whose answer is lost is sent again with the same key and replayed, not acted on twice
    public async Task A_chunk_whose_answer_was_lost_is_replayed_by_the_server_not_done_twice()
    {
        var lose = new LostAnswer(Call: 2);
        using var flaky = new CliHarness(() => new LoseAnswerOnce(server.Handler(), lose)) { ChunkSize = 10 };
        Assert.Equal(0, (await flaky.Run("login", "--server", server.Url, "--token", "test-admin")).Exit);
        var file = flaky.Write("accounts.csv", Files.Accounts(30, withTeen: false));

        var r = await flaky.Run("import", "accounts", file, "--json");

        Assert.True(r.Exit == 0, r.ToString());
        var summary = JsonNode.Parse(r.Out)!;
        // The server acted on the lost chunk the first time; the retry got that first answer again ("created").
        Assert.Equal(30, summary["created"]!.GetValue<long>());
        Assert.Equal(0, summary["exists"]!.GetValue<long>());
        Assert.Equal(lose.KeyOfLostRequest, lose.KeyOfRetry);
        Assert.Equal("true", lose.RetryReplayed);
    }

    [Fact] // TS-Q1, TS-U1: unlink refused too early with its rule, then requested and approved after the clock moves
    public async Task Unlink_is_refused_too_early_then_requested_and_approved()
    {
        await LoginAndImport();
        var merchant = await server.Token("merchant", shopId: "shop-gb");
        var creator = await server.Token("creator", accountId: "acc-3");
        var invitation = JsonNode.Parse((await Ok("invite", "shop-gb", "--account", "acc-3", "--role", "channel", "--token", merchant, "--country", "GB", "--json")).Out)!;
        var id = invitation["id"]!.GetValue<string>();
        var accepted = await Ok("accept", id, "--token", creator, "--country", "GB");
        Assert.Contains("active", accepted.Out, StringComparison.Ordinal);

        var early = await cli.Run("unlink", "request", id, "--reason", "switching agency", "--token", creator, "--country", "GB");
        Assert.Equal(ExitCodes.Refused, early.Exit);
        Assert.Contains("TS-Q1", early.Err, StringComparison.Ordinal);
        Assert.Contains("Every rule passes at 2026-03-03T08:00:00Z", early.Err, StringComparison.Ordinal);

        server.Clock.Advance(TimeSpan.FromHours(24));
        var request = JsonNode.Parse((await Ok("unlink", "request", id, "--reason", "switching agency", "--token", creator, "--country", "GB", "--json")).Out)!;
        var approved = await Ok("unlink", "approve", request["id"]!.GetValue<string>(), "--token", merchant);
        Assert.Contains("approved", approved.Out, StringComparison.Ordinal);

        var history = await Ok("history", "--shop", "shop-gb", "--token", merchant);
        Assert.Contains("invitation", history.Out, StringComparison.Ordinal);
        Assert.Contains("unlink", history.Out, StringComparison.Ordinal);
    }

    [Fact] // Z-4, TS-Q1, TS-Q2: the swap is explained first (refused too early, then its effects), then done and accepted
    public async Task Swap_is_checked_then_replaces_the_official_account_at_one_instant()
    {
        await LoginAndImport();
        var merchant = await server.Token("merchant", shopId: "shop-gb");
        var first = JsonNode.Parse((await Ok("invite", "shop-gb", "--account", "acc-1", "--role", "official", "--token", merchant, "--country", "GB", "--json")).Out)!;
        await Ok("accept", first["id"]!.GetValue<string>(), "--token", await server.Token("creator", accountId: "acc-1"), "--country", "GB");

        var early = await cli.Run("check", "swap", "--shop", "shop-gb", "--account", "acc-2", "--token", merchant, "--country", "GB");
        Assert.Equal(ExitCodes.Refused, early.Exit);
        Assert.Contains("TS-Q1", early.Out, StringComparison.Ordinal);

        server.Clock.Advance(TimeSpan.FromHours(24));
        var check = await Ok("check", "swap", "--shop", "shop-gb", "--account", "acc-2", "--token", merchant, "--country", "GB");
        Assert.Contains("Allowed: swap", check.Out, StringComparison.Ordinal);
        Assert.Contains("ends_binding", check.Out, StringComparison.Ordinal);
        Assert.Contains("TS-Q2", check.Out, StringComparison.Ordinal);

        var swap = JsonNode.Parse((await Ok("swap", "shop-gb", "--account", "acc-2", "--token", merchant, "--country", "GB", "--json")).Out)!;
        Assert.Equal(first["id"]!.GetValue<string>(), swap["replacesBindingId"]!.GetValue<string>());
        var accepted = JsonNode.Parse((await Ok("accept", swap["id"]!.GetValue<string>(), "--token", await server.Token("creator", accountId: "acc-2"), "--country", "GB", "--json")).Out)!;
        var old = JsonNode.Parse((await Ok("accounts", "acc-1", "--bindings", "--json")).Out)!.AsArray().Single()!;
        Assert.Equal("ended", old["state"]!.GetValue<string>());
        Assert.Equal(accepted["activatedAt"]!.GetValue<string>(), old["endedAt"]!.GetValue<string>());
    }

    [Fact] // X-1: history exported as JSON lines to stdout, one document per line
    public async Task History_export_streams_json_lines_to_stdout()
    {
        await LoginAndImport(accounts: 5);

        var r = await Ok("export", "history", "--shop", "shop-gb", "--format", "jsonl");

        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.NotNull(JsonNode.Parse(line)));
    }

    [Fact]
    public async Task An_export_to_a_folder_that_does_not_exist_is_a_usage_error()
    {
        await Ok("login", "--server", server.Url, "--token", "test-admin");

        var r = await cli.Run("export", "history", "--out", cli.File(Path.Combine("no-such-folder", "history.csv")));

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("no-such-folder", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shops_accounts_and_policies_read_as_tables()
    {
        await LoginAndImport(accounts: 3);

        var shops = await Ok("shops");
        Assert.Contains("Lumen Beauty, UK", shops.Out, StringComparison.Ordinal);
        Assert.Contains("山海茶铺", shops.Out, StringComparison.Ordinal);
        var account = await Ok("accounts", "acc-teen");
        Assert.Contains("@teen.kid", account.Out, StringComparison.Ordinal);
        var policy = await Ok("policy", "show", "tiktok-shop");
        Assert.Contains("expires after 48 hours", policy.Out, StringComparison.Ordinal);
        var policyJson = JsonNode.Parse((await Ok("policy", "show", "tiktok-shop", "--json")).Out)!;
        Assert.Equal("tiktok-shop", policyJson["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Something_that_is_not_there_exits_3_with_the_servers_words()
    {
        await Ok("login", "--server", server.Url, "--token", "test-admin");

        var r = await cli.Run("accounts", "acc-nobody");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("404 not_found", r.Err, StringComparison.Ordinal);
    }

    /// <summary>Which bulk request loses its answer, and what the test saw of it and of its retry.</summary>
    private sealed record LostAnswer(int Call)
    {
        public int BulkCalls { get; set; }

        public string? KeyOfLostRequest { get; set; }

        public string? KeyOfRetry { get; set; }

        public string? RetryReplayed { get; set; }
    }

    /// <summary>Lets one bulk request reach the server, then drops its answer as a broken connection would.</summary>
    private sealed class LoseAnswerOnce(HttpMessageHandler inner, LostAnswer lost) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.Contains("/bulk/", StringComparison.Ordinal))
            {
                return response;
            }
            var call = ++lost.BulkCalls;
            var key = request.Headers.GetValues("Idempotency-Key").Single();
            if (call == lost.Call)
            {
                lost.KeyOfLostRequest = key;
                response.Dispose();
                throw new HttpRequestException("The response ended prematurely (simulated).");
            }
            if (call == lost.Call + 1)
            {
                lost.KeyOfRetry = key;
                lost.RetryReplayed = response.Headers.TryGetValues("Idempotent-Replayed", out var v) ? string.Join(",", v) : null;
            }
            return response;
        }
    }
}

/// <summary>The same CLI over real TCP: a Kestrel host on 127.0.0.1 with a random port.</summary>
public sealed class KestrelTests : IDisposable
{
    private readonly CliServer server = new(kestrel: true);

    public void Dispose() => server.Dispose();

    [Fact] // Z-3, X-4 over a socket
    public async Task Login_import_and_check_over_a_real_socket()
    {
        using var cli = new CliHarness(server.Handler);
        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.Run("login", "--server", server.Url, "--token", "test-admin")).Exit);
        Assert.Equal(0, (await cli.Run("import", "shops", cli.Write("shops.csv", Files.ShopsCsv))).Exit);
        var accounts = await cli.Run("import", "accounts", cli.Write("accounts.csv", Files.Accounts(20)), "--json");
        Assert.True(accounts.Exit == 0, accounts.ToString());
        Assert.Equal(21, JsonNode.Parse(accounts.Out)!["created"]!.GetValue<long>());

        var check = await cli.Run("check", "invite", "--shop", "shop-gb", "--handle", "teen.kid", "--role", "official", "--country", "GB");
        Assert.Equal(ExitCodes.Refused, check.Exit);
        Assert.Contains("TS-E2", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_exits_3()
    {
        using var cli = new CliHarness(() => new SocketsHttpHandler());
        // The Kestrel host's port after it stopped: nothing listens there any more.
        var url = server.Url;
        await server.DisposeAsync();

        var r = await cli.Run("shops", "--server", url, "--token", "test-admin");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("Cannot reach the Bindery server", r.Err, StringComparison.Ordinal);
    }
}
