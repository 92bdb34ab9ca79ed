using Bindery.Domain;
using Bindery.Server.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bindery.Browser.Tests;

/// <summary>
/// The main journeys of the console in a real browser, in English and in Chinese: the people of the spec do their
/// work with forms, and every refusal they meet names its rule.
/// </summary>
[Collection("browser")]
public sealed class JourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private ConsoleSession s = null!;

    public Task InitializeAsync()
    {
        s = new ConsoleSession(browser);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    private static Text T(string lang) => Text.For(lang == "zh-CN" ? Language.ZhCn : Language.En);

    // TS-I1, TS-I2, TS-Q1, X-5, TS-U1, TS-U2, TS-Q2, TS-Q4, Z-2, Z-1
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Invite_accept_early_unlink_refused_advance_clock_unlink_approve(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang);
        await ConsoleSession.SignIn(shop, "demo-merchant-gb-invited");
        await Expect(shop.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await ConsoleSession.CheckPage(shop);

        // The merchant invites Alice as the official account; the live pre-check says nothing blocks it.
        await shop.GotoAsync("/console/shops/shop-gb-invited/invite");
        await shop.GetByLabel(t["invite.handle"]).FillAsync("alice.creates");
        await shop.Locator("input[name=Role][value=official]").CheckAsync();
        await Expect(shop.Locator("[data-test=check-allowed]")).ToHaveTextAsync(t["invite.check-ok"]);
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"invite-check-ok-{ConsoleSession.Slug(lang)}");
        await shop.GetByRole(AriaRole.Button, new() { Name = t["invite.send"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t.F("invite.sent", "@alice.creates"));
        var pending = shop.Locator("[data-test=invitations] tbody tr");
        await Expect(pending).ToHaveCountAsync(1);
        await Expect(pending.Locator("[data-test=countdown]")).ToHaveTextAsync(t.Left(TimeSpan.FromHours(48)));

        // Alice accepts within 48 hours (TS-I1) and at once asks to unlink: refused by TS-Q1 with the instant it passes.
        var alice = await s.Person(lang);
        await ConsoleSession.SignIn(alice, "demo-creator-alice");
        await Expect(alice.Locator("[data-test=invitations] [data-test=countdown]")).ToHaveTextAsync(t.Left(TimeSpan.FromHours(48)));
        await alice.GetByRole(AriaRole.Button, new() { Name = t["creator.accept"] }).ClickAsync();
        await Expect(alice.Locator("[data-test=flash]")).ToHaveTextAsync(t["creator.accepted"]);
        await alice.GetByRole(AriaRole.Button, new() { Name = t["creator.send-unlink"] }).ClickAsync();
        var problem = alice.Locator("[data-test=problem]");
        await Expect(problem).ToHaveAttributeAsync("role", "alert");
        await Expect(problem.Locator("li[data-rule='TS-Q1']")).ToContainTextAsync(t["problem.passes-at"]);
        await Expect(problem.Locator("li[data-rule='TS-Q1'] time")).ToHaveTextAsync("2026-03-03 08:00 UTC");
        await ConsoleSession.CheckPage(alice);
        await ConsoleSession.Shot(alice, $"unlink-refused-{ConsoleSession.Slug(lang)}", publish: true);

        // A day later (the demo clock, X-5) the request goes through and waits on the shop for 7 days (TS-U4).
        await alice.GetByRole(AriaRole.Button, new() { Name = t["clock.advance-1d"] }).ClickAsync();
        await Expect(alice.Locator("[data-test=clock]")).ToHaveTextAsync("2026-03-03 08:00 UTC");
        await alice.GetByLabel(t["creator.unlink-reason"]).FillAsync("switching agency");
        await alice.GetByRole(AriaRole.Button, new() { Name = t["creator.send-unlink"] }).ClickAsync();
        await Expect(alice.Locator("[data-test=flash]")).ToHaveTextAsync(t["creator.unlink-sent"]);
        await Expect(alice.Locator("[data-test=unlink-pending]")).ToBeVisibleAsync();

        // The shop sees the request and approves: the binding ends, one of 3 official unbinds is spent (TS-Q2, Z-2).
        await shop.GotoAsync("/console/shops/shop-gb-invited");
        var request = shop.Locator("[data-test=unlink-requests] article");
        await Expect(request).ToContainTextAsync("switching agency");
        await ConsoleSession.Shot(shop, $"shop-unlink-request-{ConsoleSession.Slug(lang)}");
        await request.GetByRole(AriaRole.Button, new() { Name = t["shop.approve"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["shop.approved"]);
        await Expect(shop.Locator("[data-test=bindings]")).ToContainTextAsync(t["shop.none"]);
        await Expect(shop.Locator("tr[data-quota=official_unbinds] td").Nth(1)).ToHaveTextAsync("1 / 3");
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"shop-overview-{ConsoleSession.Slug(lang)}", publish: true);

        // History keeps everything (X-1, TS-U3), filtered and exported as CSV.
        await shop.GotoAsync("/console/shops/shop-gb-invited/history?Action=binding.ended");
        await Expect(shop.Locator("[data-test=history] tbody tr")).ToHaveCountAsync(1);
        var download = await shop.RunAndWaitForDownloadAsync(() => shop.Locator("[data-test=csv]").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("seq,at,actor", csv, StringComparison.Ordinal);
        Assert.Contains("binding.ended", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("invitation.sent", csv, StringComparison.Ordinal);
    }

    // X-4, TS-E2, TS-E4, TS-E7: an ineligible invite shows every reason, with the keyboard only, at phone width.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Ineligible_invite_lists_every_reason_with_keyboard_only_at_phone_width(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang, country: "US", width: ConsoleSession.Phone);
        await ConsoleSession.SignIn(shop, "demo-merchant-gb-invited");
        await shop.GotoAsync("/console/shops/shop-gb-invited/invite");

        // Submitting nothing: each error is next to its field, announced, and tied to it.
        await shop.GetByLabel(t["invite.handle"]).FocusAsync();
        await shop.Keyboard.PressAsync("Enter");
        var handle = shop.GetByLabel(t["invite.handle"]);
        await Expect(handle).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(shop.Locator("#handle-error")).ToHaveTextAsync(t["invite.handle-required"]);
        await Expect(shop.Locator("#handle-error")).ToHaveAttributeAsync("role", "alert");
        Assert.Contains("handle-error", await handle.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await Expect(shop.Locator("#role-error")).ToHaveTextAsync(t["invite.role-required"]);
        await ConsoleSession.CheckPage(shop);

        // Keyboard only: type the handle, Tab to the first role and select it, Tab to "Check", Enter.
        await shop.GetByLabel(t["invite.handle"]).FocusAsync();
        await shop.Keyboard.TypeAsync("teen.gamer");
        await shop.Keyboard.PressAsync("Tab");
        await shop.Keyboard.PressAsync("Space");
        await Expect(shop.Locator("input[name=Role][value=official]")).ToBeCheckedAsync();
        await shop.Keyboard.PressAsync("Tab");
        await Expect(shop.GetByRole(AriaRole.Button, new() { Name = t["invite.check"] })).ToBeFocusedAsync();
        await shop.Keyboard.PressAsync("Enter");
        var refused = shop.Locator("[data-test=check-refused]");
        await Expect(refused.Locator("li")).ToHaveCountAsync(2);
        await Expect(refused.Locator("li[data-rule='TS-E2']")).ToContainTextAsync(lang == "zh-CN" ? "18" : "18");
        await Expect(refused.Locator("li[data-rule='TS-E4']")).ToBeVisibleAsync();
        await Expect(refused.Locator("h2")).ToHaveTextAsync(t.F("invite.check-refused", 2));
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"invite-refused-phone-{ConsoleSession.Slug(lang)}", publish: true);

        // Sending anyway is refused with the same reasons, and nothing is created.
        await shop.GetByRole(AriaRole.Button, new() { Name = t["invite.send"] }).FocusAsync();
        await shop.Keyboard.PressAsync("Enter");
        var problem = shop.Locator("[data-test=problem]");
        await Expect(problem).ToHaveAttributeAsync("data-code", "rule_denied");
        await Expect(problem.Locator("li[data-rule]")).ToHaveCountAsync(2);
        await shop.GotoAsync("/console/shops/shop-gb-invited");
        await Expect(shop.Locator("[data-test=invitations]")).ToContainTextAsync(t["shop.none"]);
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"shop-overview-phone-{ConsoleSession.Slug(lang)}");
    }

    // DY-A1, DY-A2, DY-A4, DY-A5, DY-O2: a Douyin official binding ended by an application that staff approve.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Unbind_application_filed_with_evidence_and_approved_by_staff(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang, country: "CN");
        await ConsoleSession.SignIn(shop, "demo-merchant-dy");
        await shop.GotoAsync("/console/shops/shop-dy/invite");
        await shop.GetByLabel(t["invite.handle"]).FillAsync("dy.star");
        await shop.Locator("input[name=Role][value=official]").CheckAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = t["invite.send"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToBeVisibleAsync();

        var star = await s.Person(lang, country: "CN");
        await ConsoleSession.SignIn(star, "demo-creator-dy-star");
        await star.GetByRole(AriaRole.Button, new() { Name = t["creator.accept"] }).ClickAsync();
        await Expect(star.Locator("[data-test=flash]")).ToHaveTextAsync(t["creator.accepted"]);
        await Expect(star.Locator("[data-test=binding]")).ToContainTextAsync(t["creator.only-staff"]);

        // The merchant files the application with a business licence (DY-A1, DY-A5).
        await shop.GotoAsync("/console/shops/shop-dy");
        await shop.GetByRole(AriaRole.Link, new() { Name = t["shop.file-application"] }).ClickAsync();
        await shop.GetByLabel(t["apply.reason"]).SelectOptionAsync("wrong_account");
        await shop.GetByLabel(t["apply.contact-name"]).FillAsync("李雷");
        await shop.GetByLabel(t["apply.contact-phone"]).FillAsync("+8613812345678");
        await ConsoleSession.CheckPage(shop);
        await shop.GetByRole(AriaRole.Button, new() { Name = t["apply.submit"] }).ClickAsync();
        await Expect(shop.Locator("#file-business_licence-error")).ToHaveTextAsync(t["apply.file-required"]);
        await shop.GetByLabel(t["evidence.business_licence"]).SetInputFilesAsync(new FilePayload
        {
            Name = "licence.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray(),
        });
        await shop.GetByRole(AriaRole.Button, new() { Name = t["apply.submit"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["apply.filed"]);
        await Expect(shop.Locator("[data-test=applications] tbody tr")).ToContainTextAsync(t["app-state.submitted"]);

        // Staff see it due within 5 business days; two weeks later the queue marks it overdue (DY-A4); staff open
        // the evidence and approve (DY-A2).
        var staff = await s.Person(lang);
        await ConsoleSession.SignIn(staff, "demo-admin");
        var item = staff.Locator("[data-test=queue] > li");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.Locator("[data-test=overdue]")).ToHaveCountAsync(0);
        await staff.GetByRole(AriaRole.Button, new() { Name = t["clock.advance-7d"] }).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = t["clock.advance-7d"] }).ClickAsync();
        await Expect(staff.Locator("[data-test=clock]")).ToHaveTextAsync("2026-03-16 08:00 UTC");
        await Expect(item.Locator("[data-test=overdue]")).ToHaveTextAsync(t["review.overdue"]);
        var evidence = await staff.APIRequest.GetAsync(await item.Locator("figcaption a").GetAttributeAsync("href") ?? "");
        Assert.Equal(200, evidence.Status);
        Assert.StartsWith("%PDF", await evidence.TextAsync(), StringComparison.Ordinal);
        await ConsoleSession.CheckPage(staff);
        await ConsoleSession.Shot(staff, $"review-queue-{ConsoleSession.Slug(lang)}", publish: true);
        await item.GetByRole(AriaRole.Button, new() { Name = t["review.start"] }).ClickAsync();
        await Expect(staff.Locator("[data-test=flash]")).ToHaveTextAsync(t["review.started"]);
        await staff.Locator("[data-test=queue] > li").GetByRole(AriaRole.Button, new() { Name = t["review.approve"] }).ClickAsync();
        await Expect(staff.Locator("[data-test=flash]")).ToHaveTextAsync(t["review.approved"]);
        await Expect(staff.Locator("[data-test=queue] > li")).ToHaveCountAsync(0);

        // The binding has ended (DY-O2's exception) and the merchant sees the decision.
        await shop.GotoAsync("/console/shops/shop-dy");
        await Expect(shop.Locator("[data-test=applications] tbody tr")).ToContainTextAsync(t["app-state.approved"]);
        await Expect(shop.Locator("[data-test=bindings]")).ToContainTextAsync(t["shop.none"]);
        await star.ReloadAsync();
        await Expect(star.Locator("[data-test=binding]")).ToContainTextAsync(t["creator.not-bound"]);
    }

    // DY-B3: the owner undoes a showcase binding through a confirmation dialog; nothing happens before confirming.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Showcase_binding_is_undone_through_a_confirmation_dialog(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang, country: "CN");
        await ConsoleSession.SignIn(shop, "demo-merchant-dy");
        await shop.GotoAsync("/console/shops/shop-dy/invite");
        await shop.GetByLabel(t["invite.handle"]).FillAsync("dy.fan");
        await shop.Locator("input[name=Role][value=showcase]").CheckAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = t["invite.send"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToBeVisibleAsync();

        var fan = await s.Person(lang, country: "CN", width: ConsoleSession.Phone);
        await ConsoleSession.SignIn(fan, "demo-creator-dy-fan");
        await fan.GetByRole(AriaRole.Button, new() { Name = t["creator.accept"] }).ClickAsync();
        await Expect(fan.Locator("[data-test=flash]")).ToHaveTextAsync(t["creator.accepted"]);
        await fan.GetByRole(AriaRole.Button, new() { Name = t["creator.unbind"] }).ClickAsync();
        var dialog = fan.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = t["creator.confirm-unbind"] })).ToBeFocusedAsync();
        await ConsoleSession.Shot(fan, $"unbind-confirm-phone-{ConsoleSession.Slug(lang)}", publish: true);

        // Cancelling changes nothing.
        await dialog.GetByRole(AriaRole.Link, new() { Name = t["common.cancel"] }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await fan.GotoAsync("/console/accounts/acc-dy-fan");
        await Expect(fan.Locator("[data-test=binding] article")).ToHaveCountAsync(1);

        // Confirming ends the binding at once (Enter once the dialog has put the focus on its confirm button).
        await fan.GetByRole(AriaRole.Button, new() { Name = t["creator.unbind"] }).ClickAsync();
        await Expect(fan.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = t["creator.confirm-unbind"] })).ToBeFocusedAsync();
        await fan.Keyboard.PressAsync("Enter");
        await Expect(fan.Locator("[data-test=flash]")).ToHaveTextAsync(t["creator.unbound"]);
        await Expect(fan.Locator("[data-test=binding]")).ToContainTextAsync(t["creator.not-bound"]);
        await ConsoleSession.CheckPage(fan);
    }

    // DY-M1, DY-M2, DY-M4: the main account is changed with the one-time code; a wrong code is explained next to the field.
    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task Main_account_is_changed_with_the_one_time_code(string lang)
    {
        var t = T(lang);
        var shop = await s.Person(lang, country: "CN", width: ConsoleSession.Phone);
        await ConsoleSession.SignIn(shop, "demo-merchant-dy");
        await shop.GetByRole(AriaRole.Link, new() { Name = t["main.title"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=main-account]")).ToContainTextAsync("@dy.boss");
        await shop.GetByLabel(t["main.new-account"]).FillAsync("dy.heir");
        await shop.GetByRole(AriaRole.Button, new() { Name = t["main.send-code"] }).ClickAsync();
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["main.started"]);
        await Expect(shop.Locator("[data-test=demo-code]")).ToHaveCountAsync(0);

        // Staff read the demo code (no phone in demo mode); the merchant never sees it.
        var staff = await s.Person(lang);
        await ConsoleSession.SignIn(staff, "demo-admin");
        await staff.GotoAsync("/console/shops/shop-dy/main-account");
        var code = (await staff.Locator("[data-test=demo-code]").InnerTextAsync()).Split(' ', ':', '：').Last().Trim();
        Assert.Matches("^[0-9]{4,10}$", code);

        var wrong = code == "000000" ? "111111" : "000000";
        await shop.GetByLabel(t["main.code"]).FillAsync(wrong);
        await shop.GetByLabel(t["main.code"]).PressAsync("Enter");
        await Expect(shop.GetByLabel(t["main.code"])).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(shop.Locator("#code-error")).ToHaveTextAsync(t.F("main.wrong-code", 4));
        await ConsoleSession.CheckPage(shop);
        await ConsoleSession.Shot(shop, $"main-account-wrong-code-phone-{ConsoleSession.Slug(lang)}");
        await shop.GetByLabel(t["main.code"]).FillAsync(code);
        await shop.GetByLabel(t["main.code"]).PressAsync("Enter");
        await Expect(shop.Locator("[data-test=flash]")).ToHaveTextAsync(t["main.completed"]);
        await Expect(shop.Locator("[data-test=main-account]")).ToContainTextAsync("@dy.heir");
    }
}
