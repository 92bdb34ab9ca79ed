using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Bindery.Persistence;
using Bindery.Server.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// DY-M1..M4 through HTTP: a Douyin shop changes its main account (主账户) to a real-name verified account, proven by a
/// one-time code sent to that account's phone (in test mode: to the admin's event feed, marked as demo).
/// </summary>
public sealed class MainAccountTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly MainAccountKit kit;

    public MainAccountTests() => kit = new MainAccountKit(factory);

    public void Dispose() => factory.Dispose();

    private static TimeSpan Minutes(int n) => TimeSpan.FromMinutes(n);

    [Fact] // DY-M1, DY-M2, X-1, X-2, Z-1
    public async Task The_merchant_starts_a_change_the_code_is_entered_and_the_shop_has_its_new_main_account()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");

        var started = await Kit.Expect(await MainAccountKit.TryStart(shop, "dy1", "acc-new"), HttpStatusCode.Created);
        var id = started["id"].S();
        Assert.StartsWith("mac_", id, StringComparison.Ordinal);
        Assert.Equal("awaiting_code", started["state"].S());
        Assert.Equal("acc-old", started["fromAccountId"].S());
        Assert.Equal("acc-new", started["toAccountId"].S());
        Assert.Equal(MainAccountKit.MaskedPhone, started["codeSentTo"].S());
        Assert.Equal(Kit.At(Minutes(5)), started["codeExpiresAt"].S());
        Assert.True(started["codeValid"].B());
        Assert.Equal(Kit.At(Minutes(30)), started["windowEndsAt"].S());
        Assert.Equal(5, started["attemptsLeft"].I());
        Assert.Null(started["lockedUntil"]);
        Assert.Null(started["code"]);
        Assert.Equal("account", started["waitingOn"]!["party"].S());
        Assert.Equal("acc-new", started["waitingOn"]!["id"].S());
        Assert.Equal(Kit.At(Minutes(30)), started["waitingOn"]!["dueAt"].S());

        // The demo sender put the code in the admin's feed, clearly marked.
        var demo = (await Kit.Events(kit.Admin)).Single(e => e["type"].S() == "main_account_change.demo_code");
        Assert.True(demo["data"]!["demo"].B());
        Assert.Equal(MainAccountKit.MaskedPhone, demo["data"]!["sentTo"].S());
        Assert.Equal(id, demo["subjectId"].S());
        Assert.Null(demo["shopId"]);
        Assert.Null(demo["accountId"]);
        var code = demo["data"]!["code"].S();
        Assert.Matches("^[0-9]{6}$", code);

        var done = await Kit.Expect(await MainAccountKit.Verify(shop, id, code), HttpStatusCode.OK);
        Assert.Equal("completed", done["state"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), done["endedAt"].S());
        Assert.Null(done["waitingOn"]);
        Assert.False(done["codeValid"].B());

        Assert.Equal("acc-new", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());
        var main = await Kit.Get(shop, "/api/v1/shops/dy1/main-account");
        Assert.Equal("acc-new", main["mainAccountId"].S());
        Assert.Equal("acc-new", main["account"]!["id"].S());
        Assert.Equal(MainAccountKit.MaskedPhone, main["account"]!["phone"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), main["since"].S());
        Assert.Null(main["openChange"]);
        var item = Assert.Single(main["history"].A())!;
        Assert.Equal(id, item["changeId"].S());
        Assert.Equal("acc-old", item["fromAccountId"].S());
        Assert.Equal("acc-new", item["toAccountId"].S());
        Assert.Equal("merchant:dy1", item["startedBy"].S());

        // the change is announced to the shop; X-1: the shop's history shows the main account before and after.
        var changed = Assert.Single(await Kit.Events(shop), e => e["type"].S() == "main_account.changed");
        Assert.Equal("dy1", changed["shopId"].S());
        Assert.Equal("acc-old", changed["data"]!["fromAccountId"].S());
        Assert.Equal("acc-new", changed["data"]!["toAccountId"].S());
        var history = (await Kit.Get(shop, "/api/v1/shops/dy1/history"))["items"].A();
        var entry = Assert.Single(history, h => h!["action"].S() == "shop.main_account_changed")!;
        Assert.Equal("merchant:dy1", entry["actor"].S());
        Assert.Equal("acc-old", entry["before"]!["mainAccountId"].S());
        Assert.Equal("acc-new", entry["after"]!["mainAccountId"].S());
        Assert.Equal(["main_account_change.started", "main_account_change.completed"],
            history.Where(h => h!["subjectId"].S() == id).Select(h => h!["action"].S()));

        // The code is single-use.
        var again = await Kit.Denied(await MainAccountKit.Verify(shop, id, code));
        Assert.Equal(["DY-M2"], Kit.RulesOf(again));
        Assert.Equal("main_account_change_not_pending", Kit.Reason(again, "DY-M2")["code"].S());
    }

    [Fact] // DY-M2, X-2
    public async Task Only_the_admin_reads_the_demo_code_neither_the_merchant_nor_the_creator_ever_sees_it()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        var creator = await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);
        await Kit.Expect(await kit.Admin.PostAsync($"/api/v1/main-account-changes/{id}/resend", null), HttpStatusCode.OK);

        foreach (var client in new[] { shop, creator })
        {
            var events = await Kit.Events(client);
            Assert.Contains(events, e => e["type"].S() == "main_account_change.started");
            Assert.Contains(events, e => e["type"].S() == "main_account_change.code_resent");
            Assert.DoesNotContain(events, e => e["type"].S() == "main_account_change.demo_code" || e["data"]!["code"] is not null);
        }
        Assert.Equal(2, (await Kit.Events(kit.Admin)).Count(e => e["type"].S() == "main_account_change.demo_code"));
        // Nor does any view or history entry carry it.
        var view = await Kit.Get(shop, $"/api/v1/main-account-changes/{id}");
        Assert.Null(view["code"]);
        var history = (await Kit.Get(kit.Admin, "/api/v1/shops/dy1/history"))["items"].A();
        Assert.All(history, h => Assert.DoesNotContain("\"code\":", h!.ToJsonString(), StringComparison.Ordinal));
        var changeEntries = history.Where(h => h!["subjectId"].S() == id).ToArray();
        Assert.Equal(2, changeEntries.Length); // started, code_resent
        Assert.All(changeEntries, h => Assert.DoesNotContain(code, h!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact] // DY-M2
    public async Task The_code_is_stored_only_as_a_salted_hash_and_wiped_once_used()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);

        var row = await Row(id);
        Assert.NotEqual(code, row.CodeHash);
        Assert.DoesNotContain(code, row.CodeHash, StringComparison.Ordinal);
        Assert.Equal(32, row.CodeSalt.Length);
        Assert.Equal(Sha256(row.CodeSalt + code), row.CodeHash);
        Assert.NotEqual(Sha256(code), row.CodeHash);
        Assert.Equal(MainAccountKit.MaskedPhone, row.SentTo);

        await Kit.Expect(await MainAccountKit.Verify(shop, id, code), HttpStatusCode.OK);
        var used = await Row(id);
        Assert.Equal("", used.CodeHash);
        Assert.Equal("", used.CodeSalt);
    }

    [Fact] // DY-M2
    public async Task An_account_that_is_not_real_name_verified_has_no_phone_or_does_not_exist_is_refused_and_nothing_changes()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-unverified", realNameVerified: false);
        await kit.Account("acc-no-phone", phone: null);
        await kit.Account("acc-banned", status: "banned");
        var before = await Kit.EventCount(kit.Admin);

        var unverified = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-unverified"));
        Assert.Equal(["DY-M2"], Kit.RulesOf(unverified));
        Assert.Equal("main_account_candidate_not_verified", Kit.Reason(unverified, "DY-M2")["code"].S());
        Assert.Equal("The new main account must be real-name verified.", Kit.Reason(unverified, "DY-M2")["message"].S());
        Assert.Equal("新主账户须已完成实名认证。", Kit.Reason(unverified, "DY-M2")["messages"]!["zh-CN"].S());

        var noPhone = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-no-phone"));
        Assert.Equal("main_account_candidate_no_phone", Kit.Reason(noPhone, "DY-M2")["code"].S());
        var banned = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-banned"));
        Assert.Equal("main_account_candidate_not_normal", Kit.Reason(banned, "DY-M2")["code"].S());
        var ghost = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-ghost"));
        Assert.Equal("main_account_candidate_not_found", Kit.Reason(ghost, "DY-M2")["code"].S());

        // DY-M1: the current main account cannot replace itself.
        var same = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-old"));
        Assert.Equal(["DY-M1"], Kit.RulesOf(same));
        Assert.Equal("main_account_same", Kit.Reason(same, "DY-M1")["code"].S());

        Assert.Equal(before, await Kit.EventCount(kit.Admin));
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A());
        Assert.Equal("acc-old", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());
    }

    [Fact] // DY-M4
    public async Task Five_wrong_codes_lock_the_change_and_no_change_starts_until_the_lock_ends()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);
        var wrong = MainAccountKit.Other(code);

        for (var left = 4; left >= 1; left--)
        {
            var problem = await Kit.Problem(await MainAccountKit.Verify(shop, id, wrong), (HttpStatusCode)422, "wrong_code");
            Assert.Equal(left, problem["attemptsLeft"].I());
            Assert.Equal(["DY-M4"], Kit.RulesOf(problem));
            Assert.Equal("main_account_wrong_code", Kit.Reason(problem, "DY-M4")["code"].S());
            Assert.Null(problem["passesAt"]);
            Assert.Equal(left, (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["attemptsLeft"].I());
        }
        await kit.Advance("PT1M");
        var lockedAt = BinderyFactory.Start + Minutes(1);
        var locked = await Kit.Problem(await MainAccountKit.Verify(shop, id, wrong), (HttpStatusCode)423, "change_locked");
        Assert.Equal(0, locked["attemptsLeft"].I());
        Assert.Equal(["DY-M4"], Kit.RulesOf(locked));
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), locked["passesAt"].S());
        Assert.Equal("main_account_change_locked", Kit.Reason(locked, "DY-M4")["code"].S());

        var view = await Kit.Get(shop, $"/api/v1/main-account-changes/{id}");
        Assert.Equal("locked", view["state"].S());
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), view["lockedUntil"].S());
        Assert.Equal(0, view["attemptsLeft"].I());
        Assert.Null(view["waitingOn"]);

        // Even the right code no longer works, and no new change may start while the lock holds.
        var right = await Kit.Denied(await MainAccountKit.Verify(shop, id, code));
        Assert.Equal(["DY-M4"], Kit.RulesOf(right));
        var refused = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"));
        Assert.Equal(["DY-M4"], Kit.RulesOf(refused));
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), refused["passesAt"].S());
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), (await Kit.Get(shop, "/api/v1/shops/dy1/main-account"))["limits"]!["lockedUntil"].S());
        Assert.Equal("acc-old", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());

        var events = await Kit.Events(shop);
        Assert.Equal(4, events.Count(e => e["type"].S() == "main_account_change.wrong_code"));
        Assert.Single(events, e => e["type"].S() == "main_account_change.locked");

        await kit.Advance("PT23H59M59S");
        await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"));
        await kit.Advance("PT1S");
        var next = await MainAccountKit.Start(shop, "dy1", "acc-new");
        Assert.Equal(5, next["attemptsLeft"].I());
        await Kit.Expect(await MainAccountKit.Verify(shop, next["id"].S(), await kit.DemoCode(next["id"].S())), HttpStatusCode.OK);
    }

    /// <summary>Enters <paramref name="n"/> wrong codes for the change; the last answer is returned (422, or 423 when it locks).</summary>
    private async Task<HttpResponseMessage> WrongCodes(HttpClient shop, string id, int n)
    {
        var wrong = MainAccountKit.Other(await kit.DemoCode(id));
        HttpResponseMessage last = null!;
        for (var i = 0; i < n; i++)
        {
            last = await MainAccountKit.Verify(shop, id, wrong);
        }
        return last;
    }

    [Fact] // DY-M4: the lock is per shop, so cancelling and starting again resets nothing
    public async Task Wrong_codes_count_per_shop_across_cancelled_changes_and_lock_every_change_of_the_shop()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var first = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var fourth = await Kit.Problem(await WrongCodes(shop, first, 4), (HttpStatusCode)422, "wrong_code");
        Assert.Equal(1, fourth["attemptsLeft"].I());
        await Kit.Expect(await shop.PostAsync($"/api/v1/main-account-changes/{first}/cancel", null), HttpStatusCode.OK);

        // A new change starts with the shop's count, not a fresh one: one attempt left, and the next wrong code locks.
        await kit.Advance("PT1M");
        var second = await MainAccountKit.Start(shop, "dy1", "acc-new");
        Assert.Equal(1, second["attemptsLeft"].I());
        var id = second["id"].S();
        Assert.Equal(1, (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["attemptsLeft"].I());
        Assert.Equal(1, (await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A()[0]!["attemptsLeft"].I());
        var code = await kit.DemoCode(id);
        var lockedAt = BinderyFactory.Start + Minutes(1);
        var locked = await Kit.Problem(await MainAccountKit.Verify(shop, id, MainAccountKit.Other(code)), (HttpStatusCode)423, "change_locked");
        Assert.Equal(["DY-M4"], Kit.RulesOf(locked));
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), locked["passesAt"].S());

        // The right code is refused during the lock, and so is every new change, with the moment the lock passes.
        var right = await Kit.Denied(await MainAccountKit.Verify(shop, id, code));
        Assert.Equal(["DY-M4"], Kit.RulesOf(right));
        await kit.Advance("PT1H");
        var refused = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"));
        Assert.Equal(["DY-M4"], Kit.RulesOf(refused));
        Assert.Equal("main_account_change_locked", Kit.Reason(refused, "DY-M4")["code"].S());
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), refused["passesAt"].S());
        Assert.Equal(Kit.Iso(lockedAt.AddHours(24)), (await Kit.Get(shop, "/api/v1/shops/dy1/main-account"))["limits"]!["lockedUntil"].S());
        Assert.Equal("acc-old", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());

        // Once the period has passed (service clock moved), changes work again with a full count.
        await kit.Advance("PT22H59M59S");
        await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"));
        await kit.Advance("PT1S");
        var next = await MainAccountKit.Start(shop, "dy1", "acc-new");
        Assert.Equal(5, next["attemptsLeft"].I());
        await Kit.Expect(await MainAccountKit.Verify(shop, next["id"].S(), await kit.DemoCode(next["id"].S())), HttpStatusCode.OK);
        Assert.Equal("acc-new", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());
    }

    [Fact] // DY-M4: 5 wrong codes, then cancel and restart: both refused while the lock holds
    public async Task Five_wrong_codes_then_cancel_and_restart_are_refused_until_the_lock_ends()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        await Kit.Problem(await WrongCodes(shop, id, 5), (HttpStatusCode)423, "change_locked");

        Assert.Equal(["DY-M4"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/main-account-changes/{id}/cancel", null))));
        Assert.Equal(["DY-M4"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/main-account-changes/{id}/resend", null))));
        var restart = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"));
        Assert.Equal(["DY-M4"], Kit.RulesOf(restart));
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), restart["passesAt"].S());

        await kit.Advance("PT24H");
        await MainAccountKit.Start(shop, "dy1", "acc-new");
    }

    [Fact] // DY-M4: a change left to run out, or a resent code, resets nothing either; another shop is not affected
    public async Task Neither_an_expired_change_nor_a_resent_code_resets_the_count_and_the_count_is_per_shop()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        var other = await kit.Shop("dy2", "acc-old2");
        await kit.Account("acc-new");
        var first = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        await Kit.Problem(await WrongCodes(shop, first, 2), (HttpStatusCode)422, "wrong_code");
        await kit.Advance("PT30M"); // the first change runs out unfinished

        var second = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var third = await Kit.Problem(await WrongCodes(shop, second, 1), (HttpStatusCode)422, "wrong_code");
        Assert.Equal(2, third["attemptsLeft"].I());
        var resent = await Kit.Expect(await shop.PostAsync($"/api/v1/main-account-changes/{second}/resend", null), HttpStatusCode.OK);
        Assert.Equal(2, resent["attemptsLeft"].I());
        await Kit.Problem(await WrongCodes(shop, second, 1), (HttpStatusCode)422, "wrong_code");
        await Kit.Problem(await WrongCodes(shop, second, 1), (HttpStatusCode)423, "change_locked");
        Assert.Equal(["DY-M4"], Kit.RulesOf(await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-new"))));

        // Another shop's changes are not locked by dy1's wrong codes.
        var elsewhere = await MainAccountKit.Start(other, "dy2", "acc-new");
        Assert.Equal(5, elsewhere["attemptsLeft"].I());
    }

    [Fact] // DY-M4: bad input is not a guess
    public async Task A_malformed_code_is_refused_without_counting_or_changing_anything()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var before = await Kit.EventCount(kit.Admin);

        var letters = await Kit.Problem(await MainAccountKit.Verify(shop, id, "12ab56"), HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(letters["errors"]!["code"]);
        var shortCode = await Kit.Problem(await MainAccountKit.Verify(shop, id, "123"), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("exactly 6 digits", shortCode["detail"].S(), StringComparison.Ordinal);
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/main-account-changes/{id}/verify", new { }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/dy1/main-account-changes", new { accountId = "not an id!" }),
            HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(5, (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["attemptsLeft"].I());
        Assert.Equal(before, await Kit.EventCount(kit.Admin));
    }

    [Fact] // DY-M2, X-5
    public async Task A_code_works_until_5_minutes_after_it_was_sent_then_a_resent_code_replaces_it()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var first = await kit.DemoCode(id);

        await kit.Advance("PT5M");
        var view = await Kit.Get(shop, $"/api/v1/main-account-changes/{id}");
        Assert.Equal("awaiting_code", view["state"].S());
        Assert.False(view["codeValid"].B());
        var expired = await Kit.Denied(await MainAccountKit.Verify(shop, id, first));
        Assert.Equal(["DY-M2"], Kit.RulesOf(expired));
        Assert.Equal("main_account_code_expired", Kit.Reason(expired, "DY-M2")["code"].S());
        Assert.Equal(5, (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["attemptsLeft"].I());

        // A new code, valid 5 minutes from now; the old one stops working (and counts as a wrong code).
        var second = first;
        for (var i = 0; i < 5 && second == first; i++)
        {
            var resent = await Kit.Expect(await shop.PostAsync($"/api/v1/main-account-changes/{id}/resend", null), HttpStatusCode.OK);
            Assert.Equal(Kit.At(Minutes(10)), resent["codeExpiresAt"].S());
            Assert.True(resent["codeValid"].B());
            second = await kit.DemoCode(id);
        }
        Assert.NotEqual(first, second);
        var old = await Kit.Problem(await MainAccountKit.Verify(shop, id, first), (HttpStatusCode)422, "wrong_code");
        Assert.Equal(4, old["attemptsLeft"].I());

        await kit.Advance("PT4M59S");
        var done = await Kit.Expect(await MainAccountKit.Verify(shop, id, second), HttpStatusCode.OK);
        Assert.Equal("completed", done["state"].S());
        Assert.Contains(await Kit.Events(shop), e => e["type"].S() == "main_account_change.code_resent");
    }

    [Fact] // DY-M2, X-2, X-5
    public async Task A_change_left_waiting_expires_at_the_end_of_its_window_recorded_at_that_instant()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);
        var windowEndsAt = Kit.At(Minutes(30));

        await kit.Advance("PT29M59S");
        Assert.Equal("awaiting_code", (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["state"].S());
        Assert.Equal("dy1", Assert.Single((await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A())!["shopId"].S());

        await kit.Advance("PT2H");
        var view = await Kit.Get(shop, $"/api/v1/main-account-changes/{id}");
        Assert.Equal("expired", view["state"].S());
        Assert.Equal(windowEndsAt, view["endedAt"].S());
        Assert.Null(view["waitingOn"]);

        var events = await Kit.Events(kit.Admin);
        var expiry = Assert.Single(events, e => e["type"].S() == "main_account_change.expired");
        Assert.Equal(windowEndsAt, expiry["at"].S());
        Assert.Equal("dy1", expiry["shopId"].S());
        var moved = events.Last(e => e["type"].S() == "clock.advanced");
        Assert.True(expiry["seq"]!.GetValue<long>() > moved["seq"]!.GetValue<long>());
        var entry = Assert.Single((await Kit.Get(shop, "/api/v1/shops/dy1/history"))["items"].A(), h => h!["action"].S() == "main_account_change.expired")!;
        Assert.Equal(windowEndsAt, entry["at"].S());
        Assert.Equal("system", entry["actor"].S());
        Assert.Equal("awaiting_code", entry["before"]!["state"].S());
        Assert.Equal("expired", entry["after"]!["state"].S());

        var late = await Kit.Denied(await MainAccountKit.Verify(shop, id, code));
        Assert.Equal("main_account_change_window_passed", Kit.Reason(late, "DY-M2")["code"].S());
        Assert.Equal(["DY-M2"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/main-account-changes/{id}/resend", null))));
        Assert.Equal("acc-old", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());
        await MainAccountKit.Start(shop, "dy1", "acc-new");
    }

    [Fact] // DY-M2, X-5
    public async Task A_read_alone_notices_the_end_of_the_window()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();

        // Move the time source directly: no write runs, the read itself must settle the expiry.
        factory.Clock.Advance(Minutes(30));

        Assert.Equal("expired", (await Kit.Get(shop, $"/api/v1/main-account-changes/{id}"))["state"].S());
        var expiry = Assert.Single(await Kit.Events(shop), e => e["type"].S() == "main_account_change.expired");
        Assert.Equal(Kit.At(Minutes(30)), expiry["at"].S());
    }

    [Fact] // DY-M3
    public async Task A_waiting_period_follows_each_change_and_at_most_2_changes_complete_in_any_90_days()
    {
        var shop = await kit.Shop("dy1", "acc-a");
        await kit.Account("acc-b");
        await kit.Account("acc-c");
        await kit.Change(shop, "dy1", "acc-b");
        var first = BinderyFactory.Start;

        var waiting = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-c"));
        Assert.Equal(["DY-M3"], Kit.RulesOf(waiting));
        Assert.Equal("main_account_waiting_period", Kit.Reason(waiting, "DY-M3")["code"].S());
        Assert.Equal(Kit.Iso(first.AddDays(7)), waiting["passesAt"].S());

        await kit.Advance("P6DT23H59M59S");
        await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-c"));
        await kit.Advance("PT1S");
        await kit.Change(shop, "dy1", "acc-c");

        // Two changes in the last 90 days: the next one waits until the first leaves the window.
        await kit.Advance("P7D");
        var capped = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-a"));
        Assert.Equal(["DY-M3"], Kit.RulesOf(capped));
        Assert.Equal("main_account_changes_used", Kit.Reason(capped, "DY-M3")["code"].S());
        Assert.Equal(Kit.Iso(first.AddDays(90)), capped["passesAt"].S());
        var limits = (await Kit.Get(shop, "/api/v1/shops/dy1/main-account"))["limits"]!;
        Assert.Equal(2, limits["changesInPeriod"].I());
        Assert.Equal(2, limits["maxChanges"].I());
        Assert.Equal("P90D", limits["changePeriod"].S());
        Assert.Equal(Kit.Iso(first.AddDays(90)), limits["nextChangeAt"].S());
        Assert.Equal(2, (await Kit.Get(shop, "/api/v1/shops/dy1/main-account"))["history"].A().Count);

        await kit.Advance("P75DT23H59M59S"); // first + 90 days − 1 s
        await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-a"));
        await kit.Advance("PT1S");
        await kit.Change(shop, "dy1", "acc-a");
        Assert.Equal("acc-a", (await Kit.Get(shop, "/api/v1/shops/dy1"))["mainAccountId"].S());
    }

    [Fact] // DY-M1
    public async Task One_change_at_a_time_and_a_cancelled_change_takes_no_code()
    {
        var shop = await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");
        await kit.Account("acc-other");
        var id = (await MainAccountKit.Start(shop, "dy1", "acc-new"))["id"].S();
        var code = await kit.DemoCode(id);

        var open = await Kit.Denied(await MainAccountKit.TryStart(shop, "dy1", "acc-other"));
        Assert.Equal(["DY-M1"], Kit.RulesOf(open));
        Assert.Equal("main_account_change_open", Kit.Reason(open, "DY-M1")["code"].S());
        Assert.Equal(Kit.At(Minutes(30)), open["passesAt"].S());

        var cancelled = await Kit.Expect(await shop.PostAsync($"/api/v1/main-account-changes/{id}/cancel", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["state"].S());
        Assert.Null(cancelled["waitingOn"]);
        var late = await Kit.Denied(await MainAccountKit.Verify(shop, id, code));
        Assert.Equal("main_account_change_not_pending", Kit.Reason(late, "DY-M2")["code"].S());
        Assert.Equal(["DY-M2"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/main-account-changes/{id}/cancel", null))));
        Assert.Contains(await Kit.Events(shop), e => e["type"].S() == "main_account_change.cancelled");

        await kit.Advance("PT1M");
        await kit.Change(shop, "dy1", "acc-other");
        var all = (await Kit.Get(shop, "/api/v1/shops/dy1/main-account-changes")).A();
        Assert.Equal(["completed", "cancelled"], all.Select(c => c!["state"].S()));
    }

    [Fact] // DY-M1: never edited in place
    public async Task The_main_account_cannot_be_patched()
    {
        await kit.Shop("dy1", "acc-old");
        await kit.Account("acc-new");

        var r = await kit.Admin.Send(HttpMethod.Patch, "/api/v1/shops/dy1", new { mainAccountId = "acc-new" });
        var problem = await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("DY-M1", problem["errors"]!["mainAccountId"]![0].S(), StringComparison.Ordinal);
        Assert.Equal("acc-old", (await Kit.Get(kit.Admin, "/api/v1/shops/dy1"))["mainAccountId"].S());
    }

    private async Task<MainAccountChangeRow> Row(string id)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync();
        return await db.MainAccountChanges.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
