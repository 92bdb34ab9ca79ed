using Bindery.Domain;
using Bindery.Server.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bindery.Browser.Tests;

/// <summary>
/// The console for the features that came after it: support tickets between a shop and support (X-3, TS-E7, Z-1),
/// staff roles and sub-account permissions (each person sees only their desks), and password sign-in.
/// </summary>
[Collection("browser")]
public sealed class RoleTests(BrowserFixture browser) : IAsyncLifetime
{
    private ConsoleSession s = null!;

    public Task InitializeAsync()
    {
        s = new ConsoleSession(browser);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    private static Text T(string lang) => Text.For(lang == "zh-CN" ? Language.ZhCn : Language.En);

    // TS-E3, TS-E7, Z-1: a refused pre-check becomes a ticket; support corrects the account; the shop closes it.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task A_refused_invite_becomes_a_ticket_that_support_resolves_and_the_shop_closes(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang, width: ConsoleSession.Phone);
        await ConsoleSession.SignIn(shop, "demo-merchant-gb-invited");

        // The pre-check refuses @lea.paris (registered in France, TS-E3) and says support can help: ask support.
        await shop.GotoAsync("/console/shops/shop-gb-invited/invite");
        await shop.GetByLabel(t["invite.handle"]).FillAsync("lea.paris");
        await shop.Locator("input[name=Role][value=channel]").CheckAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = t["invite.check"] }).ClickAsync();
        var refused = shop.Locator("[data-test=check-refused]");
        await Expect(refused.Locator("li[data-rule='TS-E3']")).ToContainTextAsync(t["problem.support-can-help"]);
        await refused.Locator("[data-test=open-ticket]").ClickAsync();
        await Expect(shop.Locator("[data-test=about]")).ToHaveTextAsync("@lea.paris · " + t["role.channel"]);

        // Keyboard only: an empty message is refused next to the field; then type it, Tab to the button, Enter.
        await shop.GetByLabel(t["ticket.message"]).FocusAsync();
        await shop.Keyboard.PressAsync("Tab");
        await Expect(shop.GetByRole(AriaRole.Button, new() { Name = t["ticket.open"] })).ToBeFocusedAsync();
        await shop.Keyboard.PressAsync("Enter");
        await Expect(shop.Locator("#message-error")).ToHaveTextAsync(t["ticket.message-required"]);
        await Expect(shop.GetByLabel(t["ticket.message"])).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleSession.CheckPage(shop);
        await shop.GetByLabel(t["ticket.message"]).FocusAsync();
        await shop.Keyboard.TypeAsync("Lea lives in London; her account says France.");
        await shop.Keyboard.PressAsync("Tab");
        await shop.Keyboard.PressAsync("Enter");
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["ticket.opened"]);
        await Expect(shop.Locator("[data-test=state]")).ToHaveTextAsync(t["ticket-state.open"]);
        await Expect(shop.Locator("[data-test=blocking] li[data-rule='TS-E3']")).ToBeVisibleAsync();
        await Expect(shop.Locator("[data-test=waiting]")).ToContainTextAsync(t["waiting.staff"]);
        await Expect(shop.Locator("[data-test=correct-form]")).ToHaveCountAsync(0);
        await ConsoleSession.CheckPage(shop);
        var ticketUrl = shop.Url;

        // Support sees it in the queue next to the demo's own ticket from Tea & Co, not overdue yet (Z-1).
        var support = await s.Person(lang);
        await ConsoleSession.SignIn(support, "demo-support");
        Assert.EndsWith("/console/support", support.Url, StringComparison.Ordinal);
        var items = support.Locator("[data-test=support-queue] > li");
        await Expect(items).ToHaveCountAsync(2);
        var ours = items.Filter(new() { HasText = "Lumen Beauty UK" });
        await Expect(ours).ToContainTextAsync("@lea.paris");
        await Expect(ours.Locator("[data-test=state]")).ToHaveTextAsync(t["ticket-state.open"]);
        await Expect(ours.Locator("[data-test=overdue]")).ToHaveCountAsync(0);
        await ConsoleSession.CheckPage(support);
        await ours.GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal(ticketUrl, support.Url);

        // Nothing to correct is refused next to the field; the country is corrected to GB (TS-E7).
        var country = support.GetByLabel(t["ticket.country"], new() { Exact = true });
        await support.GetByRole(AriaRole.Button, new() { Name = t["ticket.correct"] }).ClickAsync();
        await Expect(support.Locator("#country-error")).ToHaveTextAsync(t["ticket.correct-nothing"]);
        await Expect(country).ToHaveAttributeAsync("aria-invalid", "true");
        await country.FillAsync("gb");
        await support.GetByLabel(t["ticket.note"]).FillAsync("UK passport checked");
        await support.GetByRole(AriaRole.Button, new() { Name = t["ticket.correct"] }).ClickAsync();
        await Expect(support.Locator("[data-test=flash]")).ToHaveTextAsync(t["ticket.corrected"]);
        await Expect(support.Locator("[data-test=corrections] li[data-correction]")).ToContainTextAsync("FR → GB");
        await Expect(support.Locator("[data-test=state]")).ToHaveTextAsync(t["ticket-state.waiting_for_merchant"]);
        await Expect(support.Locator("[data-test=not-blocked]")).ToBeVisibleAsync();
        await support.GetByLabel(t["ticket.reply"], new() { Exact = true }).FillAsync("Corrected: please invite her again.");
        await support.GetByRole(AriaRole.Button, new() { Name = t["ticket.send-reply"] }).ClickAsync();
        await Expect(support.Locator("[data-test=flash]")).ToHaveTextAsync(t["ticket.replied"]);
        await ConsoleSession.CheckPage(support);
        await ConsoleSession.Shot(support, $"ticket-support-{ConsoleSession.Slug(lang)}", publish: lang == "en");

        // The shop sees whose move it is, the correction and the reply, and closes the ticket with a reason.
        await shop.GotoAsync("/console/shops/shop-gb-invited/tickets");
        var row = shop.Locator("[data-test=tickets] tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-test=state]")).ToHaveTextAsync(t["ticket-state.waiting_for_merchant"]);
        await Expect(row.Locator("[data-test=waiting-on]")).ToHaveTextAsync(t["waiting.shop"]);
        await ConsoleSession.CheckPage(shop);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(shop.Locator("[data-test=corrections]")).ToContainTextAsync("FR → GB");
        await Expect(shop.Locator("[data-test=messages] li[data-author=support]")).ToContainTextAsync("Corrected: please invite her again.");
        await shop.GetByRole(AriaRole.Button, new() { Name = t["ticket.close"] }).ClickAsync();
        await Expect(shop.Locator("#close-error")).ToHaveTextAsync(t["ticket.close-reason-required"]);
        await shop.GetByLabel(t["ticket.close-reason"]).FillAsync("Lea is invited now");
        await shop.GetByLabel(t["ticket.close-reason"]).PressAsync("Enter");
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["ticket.closed"]);
        await Expect(shop.Locator("[data-test=state]")).ToHaveTextAsync(t["ticket-state.closed"]);
        await Expect(shop.Locator("[data-test=closed]")).ToContainTextAsync("Lea is invited now");
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"ticket-closed-phone-{ConsoleSession.Slug(lang)}", publish: lang == "zh-CN");

        // The account is corrected for real: the invitation now passes the pre-check.
        await shop.GotoAsync("/console/shops/shop-gb-invited/invite?handler=Check&Handle=lea.paris&Role=channel");
        await Expect(shop.Locator("[data-test=check-allowed]")).ToHaveTextAsync(t["invite.check-ok"]);
        await support.GotoAsync("/console/support");
        await Expect(support.Locator("[data-test=support-queue] > li")).ToHaveCountAsync(1);
    }

    // TS-E7: support cannot correct a US-registered account; the console says why next to the field.
    [BrowserFact]
    public async Task Support_cannot_correct_a_us_account_and_the_rule_is_shown_next_to_the_field()
    {
        var t = T("en");
        var support = await s.Person("en", width: ConsoleSession.Phone);
        var opened = await support.APIRequest.PostAsync("/api/v1/shops/shop-gb-invited/tickets", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer demo-merchant-gb-invited" },
            DataObject = new { handle = "sam.us", role = "channel", message = "Can Sam be fixed?" },
        });
        Assert.Equal(201, opened.Status);
        var id = (await opened.JsonAsync())!.Value.GetProperty("id").GetString()!;
        await ConsoleSession.SignIn(support, "demo-support");
        await support.GotoAsync($"/console/tickets/{id}");
        await Expect(support.Locator("[data-test=blocking] li[data-rule='TS-E3']")).ToContainTextAsync(t["problem.support-cannot-help"]);
        await support.GetByLabel(t["ticket.country"]).FillAsync("GB");
        await support.GetByRole(AriaRole.Button, new() { Name = t["ticket.correct"] }).ClickAsync();
        await Expect(support.Locator("#country-error")).ToContainTextAsync("[TS-E7]");
        await Expect(support.Locator("#country-error")).ToHaveAttributeAsync("role", "alert");
        await Expect(support.GetByLabel(t["ticket.country"])).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(support.Locator("[data-test=corrections] li[data-correction]")).ToHaveCountAsync(0);
        await ConsoleSession.CheckPage(support);
    }

    // DY-A2, DY-A4: a reviewer approves an application from the review desk, and has no support desk nor shop list.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task A_reviewer_approves_a_review_but_cannot_open_the_support_queue(string lang)
    {
        var t = T(lang);
        var reviewer = await s.Person(lang, country: "CN");
        var dy = new Dictionary<string, string> { ["Authorization"] = "Bearer demo-merchant-dy" };
        var invited = await reviewer.APIRequest.PostAsync("/api/v1/shops/shop-dy/invitations", new() { Headers = dy, DataObject = new { handle = "dy.star", role = "official" } });
        Assert.Equal(201, invited.Status);
        var binding = (await invited.JsonAsync())!.Value.GetProperty("id").GetString()!;
        var accepted = await reviewer.APIRequest.PostAsync($"/api/v1/invitations/{binding}/accept",
            new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer demo-creator-dy-star" } });
        Assert.True(accepted.Ok, $"accept answered {accepted.Status}");
        var form = reviewer.APIRequest.CreateFormData();
        form.Set("reason", "wrong_account");
        form.Set("contactName", "李雷");
        form.Set("contactPhone", "+8613812345678");
        form.Set("business_licence", new FilePayload
        {
            Name = "licence.pdf", MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray(),
        });
        var filed = await reviewer.APIRequest.PostAsync($"/api/v1/bindings/{binding}/unbind-applications", new() { Headers = dy, Multipart = form });
        Assert.Equal(201, filed.Status);

        await ConsoleSession.SignIn(reviewer, "demo-reviewer");
        Assert.EndsWith("/console/staff/review", reviewer.Url, StringComparison.Ordinal);
        await Expect(reviewer.Locator("nav a[href='/console/support']")).ToHaveCountAsync(0);
        await Expect(reviewer.Locator("nav a[href='/console/staff/shops']")).ToHaveCountAsync(0);
        var item = reviewer.Locator("[data-test=queue] > li");
        await Expect(item).ToHaveCountAsync(1);
        await ConsoleSession.CheckPage(reviewer);
        await item.GetByRole(AriaRole.Button, new() { Name = t["review.start"] }).ClickAsync();
        await Expect(reviewer.Locator("[data-test=flash]")).ToHaveTextAsync(t["review.started"]);
        await reviewer.Locator("[data-test=queue] > li").GetByRole(AriaRole.Button, new() { Name = t["review.approve"] }).ClickAsync();
        await Expect(reviewer.Locator("[data-test=flash]")).ToHaveTextAsync(t["review.approved"]);
        await Expect(reviewer.Locator("[data-test=queue] > li")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/console/support", "/console/staff/shops", "/console/shops/shop-dy", $"/console/tickets/no-such" })
        {
            var response = await reviewer.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await Expect(reviewer.Locator("[data-test=missing]")).ToHaveTextAsync(t["missing.text"]);
        }
        var policies = await reviewer.GotoAsync("/console/staff/policies");
        Assert.Equal(200, policies!.Status);
        await ConsoleSession.CheckPage(reviewer);

        // Support has no review desk.
        var support = await s.Person(lang);
        await ConsoleSession.SignIn(support, "demo-support");
        var review = await support.GotoAsync("/console/staff/review");
        Assert.Equal(404, review!.Status);
    }

    // DY-D4: a sub account sees only what its permissions allow; a page it may not use says which permission it lacks.
    [BrowserFact]
    public async Task A_sub_account_is_told_which_permission_it_lacks()
    {
        var t = T("en");
        var sub = await s.Person("en", country: "CN", width: ConsoleSession.Phone);
        await ConsoleSession.SignIn(sub, "demo-sub-dy");
        Assert.EndsWith("/console/shops/shop-dy", sub.Url, StringComparison.Ordinal);
        await Expect(sub.Locator("nav a[href='/console/shops/shop-dy/invite']")).ToHaveCountAsync(1);
        await Expect(sub.Locator("nav a[href='/console/shops/shop-dy/history']")).ToHaveCountAsync(0);
        await Expect(sub.Locator($"main a[href='/console/shops/shop-dy/main-account']")).ToHaveCountAsync(0);
        await ConsoleSession.CheckPage(sub);
        var history = await sub.GotoAsync("/console/shops/shop-dy/history");
        Assert.Equal(403, history!.Status);
        await Expect(sub.Locator("[data-test=problem]")).ToContainTextAsync(t.F("access.needs", "history.export"));
        await ConsoleSession.CheckPage(sub);
        var tickets = await sub.GotoAsync("/console/shops/shop-dy/tickets");
        Assert.Equal(200, tickets!.Status);
    }

    // Password sign-in uses the API's verification and lockout; a disabled login ends the console session.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Password_sign_in_announces_a_wrong_password_next_to_the_field_and_locks_after_five(string lang)
    {
        var t = T(lang);
        var page = await s.Person(lang, width: ConsoleSession.Phone);
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel(t["signin.username"], new() { Exact = true }).FillAsync("demo");
        await page.GetByLabel(t["signin.password"], new() { Exact = true }).FillAsync("not-the-password");
        await page.GetByLabel(t["signin.password"], new() { Exact = true }).PressAsync("Enter");
        var error = page.Locator("#password-error");
        await Expect(error).ToHaveTextAsync(t["signin.password-wrong"]);
        await Expect(error).ToHaveAttributeAsync("role", "alert");
        await Expect(page.GetByLabel(t["signin.password"], new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Contains("password-error", await page.GetByLabel(t["signin.password"], new() { Exact = true }).GetAttributeAsync("aria-describedby") ?? "",
            StringComparison.Ordinal);
        await ConsoleSession.CheckPage(page);
        await ConsoleSession.Shot(page, $"sign-in-wrong-password-phone-{ConsoleSession.Slug(lang)}");
        await page.GetByLabel(t["signin.password"], new() { Exact = true }).FillAsync("bindery-demo-password");
        await page.GetByLabel(t["signin.password"], new() { Exact = true }).PressAsync("Enter");
        await Expect(page.Locator("[data-test=who]")).ToContainTextAsync("merchant:shop-gb-invited");
        Assert.EndsWith("/console/shops/shop-gb-invited", page.Url, StringComparison.Ordinal);

        // Someone else guesses: the fifth wrong password locks the login (the same lockout as POST /sessions).
        var other = await s.Person(lang);
        await other.GotoAsync("/console/sign-in");
        for (var i = 0; i < 5; i++)
        {
            await other.GetByLabel(t["signin.username"], new() { Exact = true }).FillAsync("demo");
            await other.GetByLabel(t["signin.password"], new() { Exact = true }).FillAsync("guess-" + i);
            await other.GetByLabel(t["signin.password"], new() { Exact = true }).PressAsync("Enter");
            await Expect(other.Locator("#password-error")).ToBeVisibleAsync();
        }
        await Expect(other.Locator("#password-error")).ToHaveTextAsync(t.F("signin.locked", "2026-03-02 08:15 UTC"));
        var api = await other.APIRequest.PostAsync("/api/v1/sessions", new() { DataObject = new { username = "demo", password = "bindery-demo-password" } });
        Assert.Equal(423, api.Status);

        // The admin disables the login: the open console session ends at its next request.
        var admin = new Dictionary<string, string> { ["Authorization"] = "Bearer demo-admin" };
        var logins = (await (await other.APIRequest.GetAsync("/api/v1/logins", new() { Headers = admin })).JsonAsync())!.Value;
        var id = logins.EnumerateArray().Single(l => l.GetProperty("username").GetString() == "demo").GetProperty("id").GetString();
        var disabled = await other.APIRequest.PostAsync($"/api/v1/logins/{id}/disable", new() { Headers = admin });
        Assert.True(disabled.Ok, $"disable answered {disabled.Status}");
        await page.GotoAsync("/console/shops/shop-gb-invited");
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-test=who]")).ToHaveCountAsync(0);
    }
}
