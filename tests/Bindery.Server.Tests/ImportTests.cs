using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// Z-3: importing shops and accounts in bulk (admin). Each row is validated as POST /shops or POST /accounts would; a
/// row whose id (or, for accounts, handle) is already stored with the same data is "exists", so re-running an import
/// creates nothing twice; the same id with other data is a conflict.
/// </summary>
public sealed class ImportTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static object[] Accounts() =>
    [
        new { id = "imp-1", handle = "imp.one", registrationCountry = "GB", birthDate = "1990-01-01" },
        new { handle = "@Imp.Two", registrationCountry = "GB", birthDate = "1991-02-03", status = "restricted" },
        new { id = "imp-3", handle = "imp.three", registrationCountry = "US", birthDate = "1992-03-04", phone = "+447700900123", realNameVerified = true },
    ];

    private static async Task<int> Created(HttpClient admin, string type) =>
        (await Kit.Events(admin)).Count(e => e["type"].S() == type);

    [Fact] // Z-3
    public async Task An_account_import_creates_each_row_as_post_accounts_would()
    {
        var world = new World(factory);
        var answer = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new
        {
            items = new object?[]
            {
                Accounts()[0],
                Accounts()[1],
                new { id = "imp-bad", handle = "imp.bad", registrationCountry = "GB", birthDate = "1990-02-30" },
                Accounts()[2],
                new { id = "imp-4", handle = "imp.one", registrationCountry = "GB", birthDate = "1990-01-01" }, // handle of item 0
                new { id = "imp-1", handle = "imp.one", registrationCountry = "GB", birthDate = "1990-01-01" }, // item 0 again
                new { id = "imp-1", handle = "imp.one", registrationCountry = "FR", birthDate = "1990-01-01" }, // item 0, other data
                null,
            },
        }), HttpStatusCode.OK);

        Assert.Equal(["created", "created", "failed", "created", "failed", "exists", "failed", "failed"], BulkTests.Statuses(answer));
        BulkTests.Summary(answer, created: 3, exists: 1, refused: 0, failed: 4);
        var results = answer["results"].A();
        Assert.Equal("imp-1", results[0]!["id"].S());
        var generated = results[1]!["id"].S();
        Assert.StartsWith("acc_", generated, StringComparison.Ordinal);
        Assert.Equal("imp-3", results[3]!["id"].S());
        Assert.Equal("imp-1", results[5]!["id"].S());

        var invalid = results[2]!["problem"]!;
        Assert.Equal("validation_failed", invalid["code"].S());
        Assert.NotNull(invalid["errors"]!["birthDate"]);
        Assert.Null(results[2]!["id"]);
        Assert.Equal("conflict", results[4]!["problem"]!["code"].S());
        Assert.Contains("imp.one", results[4]!["problem"]!["detail"].S(), StringComparison.Ordinal);
        var changed = results[6]!["problem"]!;
        Assert.Equal("conflict", changed["code"].S());
        Assert.Equal(409, changed["status"].I());
        Assert.Contains("registrationCountry", changed["detail"].S(), StringComparison.Ordinal);

        // The rows are what POST /accounts stores: normalised handle, defaults, history and one event each.
        var two = await Kit.Get(world.Admin, $"/api/v1/accounts/{generated}");
        Assert.Equal("imp.two", two["handle"].S());
        Assert.Equal("restricted", two["status"].S());
        Assert.Equal("tiktok", two["origin"].S());
        var three = await Kit.Get(world.Admin, "/api/v1/accounts/imp-3");
        Assert.True(three["realNameVerified"].B());
        Assert.Equal("*********0123", three["phone"].S());
        // Field for field the row POST /accounts writes for the same data.
        await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/accounts",
            new { id = "single-3", handle = "single.three", registrationCountry = "US", birthDate = "1992-03-04", phone = "+447700900123", realNameVerified = true }),
            HttpStatusCode.Created);
        var single = (await Kit.Get(world.Admin, "/api/v1/accounts/single-3")).AsObject();
        foreach (var key in new[] { "id", "handle" })
        {
            single.Remove(key);
            three.AsObject().Remove(key);
        }
        Assert.Equal(single.ToJsonString(), three.ToJsonString());
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/accounts/imp-bad"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/accounts/imp-4"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(4, await Created(world.Admin, "account.created"));
        var history = (await Kit.Get(world.Admin, "/api/v1/accounts/imp-1/history"))["items"].A();
        Assert.Equal("account.created", history.Single()!["action"].S());
        Assert.Equal("admin", history.Single()!["actor"].S());
    }

    [Fact] // Z-3
    public async Task Running_the_same_import_again_creates_nothing_and_answers_exists()
    {
        var world = new World(factory);
        var first = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items = Accounts() }), HttpStatusCode.OK);
        Assert.Equal(["created", "created", "created"], BulkTests.Statuses(first));
        var eventsAfterFirst = await Kit.EventCount(world.Admin);

        var second = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items = Accounts() }), HttpStatusCode.OK);
        Assert.Equal(["exists", "exists", "exists"], BulkTests.Statuses(second));
        BulkTests.Summary(second, created: 0, exists: 3, refused: 0, failed: 0);
        // The row without an id is recognised by its handle and answered with the id it was given the first time.
        Assert.Equal(first["results"].A().Select(r => r!["id"].S()), second["results"].A().Select(r => r!["id"].S()));
        Assert.Equal(eventsAfterFirst, await Kit.EventCount(world.Admin));

        // Data that changed since is not silently accepted: the row fails with a conflict naming the fields.
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/imp-1", new { status = "banned" }), HttpStatusCode.OK);
        var third = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items = Accounts() }), HttpStatusCode.OK);
        Assert.Equal(["failed", "exists", "exists"], BulkTests.Statuses(third));
        Assert.Contains("status", third["results"]![0]!["problem"]!["detail"].S(), StringComparison.Ordinal);
    }

    [Fact] // Z-3, DY-M1
    public async Task A_shop_import_recognises_its_ids_and_checks_main_accounts()
    {
        var world = new World(factory);
        await world.AccountOnly("boss");
        object[] Shops() =>
        [
            new { id = "imp-s1", name = "Import one", country = "GB", merchantType = "invited", probationEndsAt = "2026-06-01T00:00:00+02:00" },
            new { id = "imp-dy", name = "导入店铺", policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise", mainAccountId = "boss" },
        ];
        var first = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/shops", new
        {
            items = Shops().Concat(
            [
                new { id = "imp-ghost", name = "No boss", policyId = "douyin", country = "CN", merchantType = "regular", mainAccountId = "ghost" },
                new { id = "imp-bad", name = "", country = "gb", merchantType = "invited" },
                new { name = "No id", country = "GB", merchantType = "regular" },
            ]).ToArray(),
        }), HttpStatusCode.OK);
        Assert.Equal(["created", "created", "failed", "failed", "created"], BulkTests.Statuses(first));
        var results = first["results"].A();
        Assert.NotNull(results[2]!["problem"]!["errors"]!["mainAccountId"]);
        var invalid = results[3]!["problem"]!["errors"]!;
        Assert.NotNull(invalid["name"]);
        Assert.NotNull(invalid["country"]);
        Assert.StartsWith("shop_", results[4]!["id"].S(), StringComparison.Ordinal);
        Assert.Equal("2026-05-31T22:00:00Z", (await Kit.Get(world.Admin, "/api/v1/shops/imp-s1"))["probationEndsAt"].S());
        var dy = await Kit.Get(world.Admin, "/api/v1/shops/imp-dy");
        Assert.Equal("boss", dy["mainAccountId"].S());
        Assert.Equal("pay-imp-dy", dy["paymentAccount"].S());
        Assert.Equal(3, await Created(world.Admin, "shop.created"));

        var again = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/shops", new { items = Shops() }), HttpStatusCode.OK);
        Assert.Equal(["exists", "exists"], BulkTests.Statuses(again));
        Assert.Equal(["imp-s1", "imp-dy"], again["results"].A().Select(r => r!["id"].S()));

        var renamed = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/shops", new
        {
            items = new[] { new { id = "imp-s1", name = "Renamed", country = "GB", merchantType = "regular" } },
        }), HttpStatusCode.OK);
        var conflict = renamed["results"]![0]!["problem"]!;
        Assert.Equal("conflict", conflict["code"].S());
        Assert.Contains("name, merchantType", conflict["detail"].S(), StringComparison.Ordinal);
        Assert.Equal(3, await Created(world.Admin, "shop.created"));
    }

    [Fact] // Z-3
    public async Task A_retried_import_replays_its_answer_with_the_same_generated_ids()
    {
        var world = new World(factory);
        var items = Enumerable.Range(0, 50)
            .Select(i => new { handle = $"retry.{i}", registrationCountry = "GB", birthDate = "1990-01-01" }).ToArray();

        var first = await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items }, "import-1");
        var firstAnswer = await Kit.Expect(first, HttpStatusCode.OK);
        BulkTests.Summary(firstAnswer, created: 50, exists: 0, refused: 0, failed: 0);
        var retry = await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items }, "import-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True(BulkTests.Replayed(retry));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        // One history entry and one event per row, in the order of the rows.
        var ids = firstAnswer["results"].A().Select(r => r!["id"].S()).ToArray();
        Assert.Equal(ids, (await Kit.Events(world.Admin)).Where(e => e["type"].S() == "account.created").Select(e => e["subjectId"].S()));
        var history = await Kit.Get(world.Admin, $"/api/v1/accounts/{ids[49]}/history");
        Assert.Equal("account.created", history["items"]![0]!["action"].S());
        Assert.Equal($"retry.49", history["items"]![0]!["after"]!["handle"].S());
    }

    [Fact] // Z-3
    public async Task Only_the_admin_imports()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var eventsBefore = await Kit.EventCount(world.Admin);

        foreach (var client in new[] { shop, alice })
        {
            await Kit.Problem(await BulkTests.Post(client, "/api/v1/bulk/accounts", new { items = Accounts() }), HttpStatusCode.Forbidden, "forbidden");
            await Kit.Problem(await BulkTests.Post(client, "/api/v1/bulk/shops",
                new { items = new[] { new { id = "x1", name = "X", country = "GB", merchantType = "invited" } } }), HttpStatusCode.Forbidden, "forbidden");
        }
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/accounts/imp-1"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact] // Z-3
    public async Task A_thousand_accounts_import_in_one_request()
    {
        var world = new World(factory);
        var items = Enumerable.Range(0, 1000)
            .Select(i => new { id = $"k-{i}", handle = $"k.{i}", registrationCountry = "GB", birthDate = "1990-01-01" }).ToArray();

        var answer = await Kit.Expect(await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items }), HttpStatusCode.OK);
        BulkTests.Summary(answer, created: 1000, exists: 0, refused: 0, failed: 0);
        Assert.Equal("k-999", answer["results"]![999]!["id"].S());
        Assert.Equal("k.999", (await Kit.Get(world.Admin, "/api/v1/accounts/k-999"))["handle"].S());
        // The feed holds one event per row, in the order of the rows (its sequence is the order of the writes).
        Assert.Equal(items.Select(i => i.id), (await Kit.Events(world.Admin)).Where(e => e["type"].S() == "account.created").Select(e => e["subjectId"].S()));

        var more = await BulkTests.Post(world.Admin, "/api/v1/bulk/accounts", new { items = items.Append(items[0]).ToArray() });
        await Kit.Problem(more, HttpStatusCode.BadRequest, "too_many_items");
    }
}
