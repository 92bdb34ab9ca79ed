using System.Net;
using System.Text.Json.Nodes;
using Bindery.Cli.Csv;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>
/// The import's own logic with the bulk endpoint stubbed (Z-3): chunking, Idempotency-Keys and retries, reading
/// per-row results, and the rejected-rows file. The same flows against a real host are in EndToEndTests.
/// </summary>
public sealed class ImportUnitTests
{
    /// <summary>A bulk endpoint that refuses handles starting "minor", fails handles starting "bad", and knows ids it has seen.</summary>
    private sealed class FakeBulk
    {
        private readonly HashSet<string> known = new(StringComparer.Ordinal);

        public List<string?> Keys { get; } = [];

        public List<int> Sizes { get; } = [];

        public Func<int, Exception?> FailCall { get; set; } = _ => null;

        public HttpResponseMessage Answer(SeenRequest r)
        {
            var call = Keys.Count;
            Keys.Add(r.Headers.TryGetValue("Idempotency-Key", out var k) ? k : null);
            if (FailCall(call) is { } e)
            {
                throw e;
            }
            var items = JsonNode.Parse(r.Body!)!["items"]!.AsArray();
            Sizes.Add(items.Count);
            var results = new JsonArray();
            for (var i = 0; i < items.Count; i++)
            {
                var handle = items[i]!["handle"]?.GetValue<string>() ?? "";
                var id = items[i]!["id"]?.GetValue<string>() ?? "";
                JsonObject result = handle.StartsWith("minor", StringComparison.Ordinal)
                    ? new()
                    {
                        ["index"] = i, ["status"] = "refused", ["rules"] = new JsonArray("TS-E2"),
                        ["reasons"] = new JsonArray(new JsonObject { ["rule"] = "TS-E2", ["code"] = "account_under_age", ["message"] = "至少 18 岁 / at least 18" }),
                    }
                    : handle.StartsWith("bad", StringComparison.Ordinal)
                        ? new()
                        {
                            ["index"] = i, ["status"] = "failed",
                            ["problem"] = new JsonObject { ["code"] = "validation_failed", ["detail"] = "registrationCountry: must be a two-letter code" },
                        }
                        : new() { ["index"] = i, ["status"] = known.Add(id) ? "created" : "exists", ["id"] = id };
                results.Add(result);
            }
            return StubHandler.Json(HttpStatusCode.OK, new JsonObject { ["results"] = results, ["summary"] = new JsonObject() }.ToJsonString());
        }
    }

    private static CliHarness Harness(FakeBulk bulk, int chunk = 1000)
    {
        var stub = new StubHandler(bulk.Answer);
        var h = new CliHarness(() => stub) { ChunkSize = chunk };
        h.Environment["BINDERY_SERVER"] = "http://bindery.test";
        h.Environment["BINDERY_TOKEN"] = "admin";
        return h;
    }

    private static string Accounts(int n, Func<int, string>? handle = null)
    {
        var w = new StringWriter();
        w.Write("id,handle,origin,registrationCountry,birthDate,status\r\n");
        for (var i = 0; i < n; i++)
        {
            w.Write($"acc-{i},{(handle ?? (j => $"user{j}"))(i)},tiktok,GB,1990-01-01,normal\r\n");
        }
        return w.ToString();
    }

    [Fact]
    public async Task Rows_go_in_order_in_chunks_each_with_a_key_from_the_content_hash_the_run_and_the_chunk()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk, chunk: 4);
        var file = h.Write("accounts.csv", Accounts(10));

        var r = await h.Run("import", "accounts", file);

        Assert.True(r.Exit == 0, r.ToString());
        Assert.Equal([4, 4, 2], bulk.Sizes);
        Assert.Equal(3, bulk.Keys.Distinct().Count());
        Assert.All(bulk.Keys, k => Assert.Matches("^bindery-import-accounts-[0-9a-f]{32}-testrun-[0-2]$", k));
        Assert.Equal(["0", "1", "2"], bulk.Keys.Select(k => k![^1..]));
        Assert.Contains("created", r.Out, StringComparison.Ordinal);
        Assert.Matches(@"created\s*│\s*10\s", r.Out);
    }

    [Fact]
    public async Task A_different_file_gets_different_keys_and_the_same_file_the_same_keys_in_the_same_run()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk);
        var a = h.Write("a.csv", Accounts(3));
        var b = h.Write("b.csv", Accounts(4));

        await h.Run("import", "accounts", a);
        await h.Run("import", "accounts", b);
        await h.Run("import", "accounts", a, "--run-id", "testrun");

        Assert.NotEqual(bulk.Keys[0], bulk.Keys[1]);
        Assert.Equal(bulk.Keys[0], bulk.Keys[2]);
    }

    [Fact] // Z-3: a chunk retried after a network error carries the same Idempotency-Key, so it never acts twice
    public async Task A_chunk_is_retried_with_the_same_key_after_a_network_error_or_a_5xx()
    {
        var bulk = new FakeBulk { FailCall = call => call == 1 ? new HttpRequestException("connection reset") : null };
        using var h = Harness(bulk, chunk: 2);
        var file = h.Write("accounts.csv", Accounts(4));

        var r = await h.Run("import", "accounts", file);

        Assert.True(r.Exit == 0, r.ToString());
        Assert.Equal(3, bulk.Keys.Count);
        Assert.Equal(bulk.Keys[1], bulk.Keys[2]);
        Assert.Matches(@"created\s*│\s*4\s", r.Out);
    }

    [Fact]
    public async Task When_retries_run_out_the_import_stops_with_exit_3_and_says_how_far_it_got()
    {
        var bulk = new FakeBulk { FailCall = call => call >= 1 ? new HttpRequestException("connection refused") : null };
        using var h = Harness(bulk, chunk: 2);
        var file = h.Write("accounts.csv", Accounts(5));

        var r = await h.Run("import", "accounts", file);

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Equal(1 + 1 + h.RetryDelays.Count, bulk.Keys.Count);
        Assert.Contains("Stopped after 2 of 5 rows", r.Out, StringComparison.Ordinal);
        Assert.Contains("Cannot reach the Bindery server", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_and_failed_rows_go_to_a_rejected_file_with_their_original_columns_and_the_errors()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk, chunk: 2);
        var file = h.Write("accounts.csv",
            "id,handle,origin,registrationCountry,birthDate,status,note\r\n" +
            "acc-1,fine.one,tiktok,GB,1990-01-01,normal,ok\r\n" +
            "acc-2,minor.two,tiktok,GB,2012-01-01,normal,\"has, comma\"\r\n" +
            "acc-3,bad.three,tiktok,G B,1990-01-01,normal,\"two\nlines\"\r\n" +
            "acc-4,fine.four,tiktok,GB\r\n" +
            "acc-5,fine.five,tiktok,GB,1990-01-01,normal,ok\r\n");

        var r = await h.Run("import", "accounts", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        Assert.Matches(@"created\s*│\s*2\s", r.Out);
        Assert.Matches(@"refused \(by a rule\)\s*│\s*1\s", r.Out);
        Assert.Matches(@"failed \(invalid row\)\s*│\s*2\s", r.Out);
        var rejectedPath = h.File("accounts.rejected.csv");
        Assert.Contains(rejectedPath, r.Out, StringComparison.Ordinal);
        var rows = CsvReader.Read(new StringReader(File.ReadAllText(rejectedPath))).Select(x => x.Fields).ToList();
        Assert.Equal(["id", "handle", "origin", "registrationCountry", "birthDate", "status", "note", "error_code", "error_rules", "error_message"], rows[0]);
        // In the order of the input file, whichever request each row went with.
        Assert.Equal(["acc-2", "minor.two", "tiktok", "GB", "2012-01-01", "normal", "has, comma", "rule_denied", "TS-E2", "[TS-E2] 至少 18 岁 / at least 18"], rows[1]);
        Assert.Equal(["acc-3", "bad.three", "tiktok", "G B", "1990-01-01", "normal", "two\nlines", "validation_failed", "", "registrationCountry: must be a two-letter code"], rows[2]);
        Assert.Equal(["acc-4", "fine.four", "tiktok", "GB", "", "", "", "csv_field_count", "", "line 6: 4 fields, but the header has 7"], rows[3]); // acc-3's quoted line break
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public async Task The_fixed_rejected_file_imports_as_is_and_its_error_columns_are_not_sent()
    {
        var bulk = new FakeBulk();
        var stub = new StubHandler(bulk.Answer);
        using var h = new CliHarness(() => stub);
        h.Environment["BINDERY_SERVER"] = "http://bindery.test";
        h.Environment["BINDERY_TOKEN"] = "admin";
        var file = h.Write("accounts.csv", Accounts(3, i => i == 1 ? "minor.kid" : $"user{i}"));
        Assert.Equal(ExitCodes.Refused, (await h.Run("import", "accounts", file)).Exit);
        var rejected = h.File("accounts.rejected.csv");
        File.WriteAllText(rejected, File.ReadAllText(rejected).Replace("minor.kid", "grown.up", StringComparison.Ordinal));

        var r = await h.Run("import", "accounts", rejected);

        Assert.True(r.Exit == 0, r.ToString());
        var item = JsonNode.Parse(stub.Seen[^1].Body!)!["items"]!.AsArray().Single()!.AsObject();
        Assert.Equal("grown.up", item["handle"]!.GetValue<string>());
        Assert.False(item.ContainsKey("error_code"));
        Assert.False(item.ContainsKey("error_message"));
        // The input was the rejected file itself: it is left as the user wrote it, not deleted.
        Assert.True(File.Exists(rejected));
    }

    [Fact]
    public async Task Booleans_are_sent_as_json_booleans_and_an_unreadable_one_fails_only_its_row()
    {
        var bulk = new FakeBulk();
        var stub = new StubHandler(bulk.Answer);
        using var h = new CliHarness(() => stub);
        h.Environment["BINDERY_SERVER"] = "http://bindery.test";
        h.Environment["BINDERY_TOKEN"] = "admin";
        var file = h.Write("accounts.csv",
            "id,handle,registrationCountry,birthDate,realNameVerified,hasFormalPaymentAccount\n" +
            "a1,one,CN,1990-01-01,yes,FALSE\n" +
            "a2,two,CN,1990-01-01,maybe,\n");

        var r = await h.Run("import", "accounts", file);

        Assert.Equal(ExitCodes.Refused, r.Exit);
        var item = JsonNode.Parse(stub.Seen.Single().Body!)!["items"]!.AsArray().Single()!.AsObject();
        Assert.True(item["realNameVerified"]!.GetValue<bool>());
        Assert.False(item["hasFormalPaymentAccount"]!.GetValue<bool>());
        Assert.Contains("realNameVerified: 'maybe' is not true or false", File.ReadAllText(h.File("accounts.rejected.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_broken_csv_is_refused_before_anything_is_sent()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk);
        var file = h.Write("accounts.csv", Accounts(3) + "acc-x,\"unclosed,tiktok\n");

        var r = await h.Run("import", "accounts", file);

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("line 5", r.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", r.Err, StringComparison.Ordinal);
        Assert.Empty(bulk.Keys);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("shopId,role\nshop-1,official\n", "none of the fields of accounts")]
    [InlineData("id,handle,id\n1,a,1\n", "appears more than once")]
    public async Task A_file_without_a_usable_header_is_a_usage_error(string text, string message)
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk);

        var r = await h.Run("import", "accounts", h.Write("accounts.csv", text));

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Empty(bulk.Keys);
    }

    [Fact]
    public async Task A_clean_rerun_removes_the_stale_rejected_file_of_an_earlier_run()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk);
        var file = h.Write("accounts.csv", Accounts(2));
        File.WriteAllText(h.File("accounts.rejected.csv"), "stale");

        var r = await h.Run("import", "accounts", file);

        Assert.True(r.Exit == 0, r.ToString());
        Assert.False(File.Exists(h.File("accounts.rejected.csv")));
    }

    [Fact]
    public async Task With_json_the_summary_is_one_json_document()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk);
        var file = h.Write("accounts.csv", Accounts(3, i => i == 2 ? "minor.x" : $"u{i}"));

        var r = await h.Run("import", "accounts", file, "--json");

        var doc = JsonNode.Parse(r.Out)!;
        Assert.Equal(3, doc["rows"]!.GetValue<long>());
        Assert.Equal(2, doc["created"]!.GetValue<long>());
        Assert.Equal(1, doc["refused"]!.GetValue<long>());
        Assert.Equal(h.File("accounts.rejected.csv"), doc["rejectedFile"]!.GetValue<string>());
        Assert.Equal("testrun", doc["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_a_terminal_a_progress_bar_is_drawn_on_stderr()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk, chunk: 10);
        h.ErrorIsTerminal = true;
        var file = h.Write("accounts.csv", Accounts(50));

        var r = await h.Run("import", "accounts", file);

        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("Importing accounts 50/50", r.Err, StringComparison.Ordinal);
        Assert.Contains("100%", r.Err, StringComparison.Ordinal);
        Assert.Contains("━", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_terminal_no_progress_bar_is_drawn()
    {
        var bulk = new FakeBulk();
        using var h = Harness(bulk, chunk: 10);
        var file = h.Write("accounts.csv", Accounts(50));

        var r = await h.Run("import", "accounts", file);

        Assert.DoesNotContain("Importing accounts", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("━", r.Err, StringComparison.Ordinal);
    }
}
