using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// DY-A1..A5 through HTTP: the shop files an unbind application with evidence for an official Douyin binding (the
/// only way to undo it, DY-O2), staff review it from a queue ordered by due date, approval ends the binding.
/// </summary>
public sealed class UnbindApplicationTests : IDisposable
{
    private const string Phone = "+8613812345678";

    /// <summary>A real, minimal PDF document.</summary>
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
        "trailer<</Root 1 0 R>>\n%%EOF\n");

    /// <summary>The PNG signature and an IHDR chunk of a 1×1 image.</summary>
    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
    ];

    /// <summary>The start of a Windows executable.</summary>
    private static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];

    private readonly BinderyFactory factory = new();
    private readonly World world;
    private readonly HttpClient admin;

    public UnbindApplicationTests()
    {
        world = new World(factory);
        admin = world.Admin;
    }

    public void Dispose() => factory.Dispose();

    // ---- the world: Douyin shops and accounts -------------------------------------------------------------------

    private async Task<HttpClient> Token(object body, string? language = null) =>
        factory.As((await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/tokens", body), HttpStatusCode.Created))["token"].S(), country: null, language);

    private async Task<HttpClient> DyAccount(string id)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), registrationCountry = "CN", birthDate = "1994-04-04", origin = "douyin", realNameVerified = true,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        return await Token(new { kind = "creator", accountId = id });
    }

    private async Task<HttpClient> DyShop(string id)
    {
        await DyAccount(id + "-boss");
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id, name = "店铺 " + id, policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise", mainAccountId = id + "-boss",
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        return await Token(new { kind = "merchant", shopId = id });
    }

    private static async Task<string> Bind(HttpClient shop, string shopId, HttpClient creator, string accountId, string role = "official")
    {
        var id = await World.Invite(shop, shopId, accountId, role);
        await Kit.Expect(await creator.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        return id;
    }

    /// <summary>A Douyin shop, a Douyin account and an active official binding between them.</summary>
    private async Task<(HttpClient Shop, HttpClient Creator, string BindingId)> Official(string shopId, string accountId)
    {
        var shop = await DyShop(shopId);
        var creator = await DyAccount(accountId);
        return (shop, creator, await Bind(shop, shopId, creator, accountId));
    }

    // ---- forms ----------------------------------------------------------------------------------------------------

    private static ByteArrayContent FilePart(byte[] bytes, string contentType)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return part;
    }

    /// <summary>A filing form: the text fields given (null = left out) and files as (kind, file name, bytes).</summary>
    private static MultipartFormDataContent Form(string? reason = "wrong_account", string? reasonText = null, string? contactName = "李雷",
        string? contactPhone = Phone, params (string Kind, string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in new[] { ("reason", reason), ("reasonText", reasonText), ("contactName", contactName), ("contactPhone", contactPhone) })
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }
        foreach (var (kind, fileName, bytes) in files)
        {
            // The declared type is deliberately generic: the service decides from the content.
            form.Add(FilePart(bytes, "application/octet-stream"), kind, fileName);
        }
        return form;
    }

    private static MultipartFormDataContent Files(params (string Kind, string FileName, byte[] Bytes)[] files) =>
        Form(null, null, null, null, files);

    private static Task<HttpResponseMessage> File(HttpClient client, string bindingId, MultipartFormDataContent form) =>
        client.PostAsync($"/api/v1/bindings/{bindingId}/unbind-applications", form);

    /// <summary>Files the standard application (wrong account, business licence as PDF) and returns it.</summary>
    private static async Task<JsonNode> FileStandard(HttpClient shop, string bindingId) =>
        await Kit.Expect(await File(shop, bindingId, Form(files: ("business_licence", "营业执照.pdf", Pdf))), HttpStatusCode.Created);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private string[] StoredFiles() =>
        Directory.Exists(factory.EvidencePath) ? Directory.GetFiles(factory.EvidencePath, "*", SearchOption.AllDirectories) : [];

    private async Task<List<JsonNode>> EventsOf(string type) => (await Kit.Events(admin)).Where(e => e["type"].S() == type).ToList();

    private static string[] Types(IEnumerable<JsonNode> events) => events.Select(e => e["type"].S()).ToArray();

    // ---- the flow -------------------------------------------------------------------------------------------------

    [Fact] // DY-O2, DY-A1, DY-A2, DY-A3, DY-A4, DY-A5, DY-L3, X-1, X-2, Z-1
    public async Task An_official_douyin_binding_is_undone_only_by_an_approved_application()
    {
        var (shop, creator, bindingId) = await Official("dy1", "star");

        // DY-O2: neither side can undo the official binding by itself.
        var unlink = await Kit.Denied(await creator.PostAsJsonAsync($"/api/v1/bindings/{bindingId}/unlink-requests", new { reason = "leaving" }));
        Assert.Equal(["DY-O2"], Kit.RulesOf(unlink));

        // DY-A1: reason, contact and evidence; the business licence as a PDF, an ID card as a PNG.
        var filed = await File(shop, bindingId, Form("wrong_account", null, "李雷", Phone,
            ("business_licence", "营业执照.pdf", Pdf), ("id_card", "id.png", Png)));
        var app = await Kit.Expect(filed, HttpStatusCode.Created);
        var id = app["id"].S();
        Assert.Equal($"/api/v1/unbind-applications/{id}", filed.Headers.Location?.OriginalString);
        Assert.Equal("submitted", app["state"].S());
        Assert.Equal(bindingId, app["bindingId"].S());
        Assert.Equal("star", app["accountId"].S());
        Assert.Equal("wrong_account", app["reason"]!["code"].S());
        Assert.Equal("The wrong account was bound", app["reason"]!["en"].S());
        Assert.Equal("绑错账号", app["reason"]!["zh"].S());
        Assert.Equal("李雷", app["contact"]!["name"].S());
        Assert.Equal("**********5678", app["contact"]!["phone"].S());   // masked to the merchant
        Assert.Equal("merchant:dy1", app["submittedBy"].S());

        // DY-A5: type from the content, size and SHA-256 of the bytes received.
        var files = app["files"].A();
        Assert.Equal(2, files.Count);
        var pdf = files.Single(f => f!["kind"].S() == "business_licence")!;
        Assert.Equal("营业执照.pdf", pdf["fileName"].S());
        Assert.Equal("application/pdf", pdf["contentType"].S());
        Assert.Equal(Pdf.Length, pdf["size"].I());
        Assert.Equal(Sha256(Pdf), pdf["sha256"].S());
        var png = files.Single(f => f!["kind"].S() == "id_card")!;
        Assert.Equal("image/png", png["contentType"].S());
        Assert.Equal(Sha256(Png), png["sha256"].S());

        // DY-A4: filed Monday 16:00 in Beijing: expected between the ends of the 3rd and 5th business days.
        Assert.Equal(Kit.Iso(BinderyFactory.Start), app["submittedAt"].S());
        Assert.Equal("2026-03-05T16:00:00Z", app["expectedBetween"]!["earliest"].S());
        Assert.Equal("2026-03-09T16:00:00Z", app["expectedBetween"]!["latest"].S());
        Assert.Equal("2026-03-09T16:00:00Z", app["dueAt"].S());
        Assert.False(app["overdue"].B());
        Assert.Equal("staff", app["waitingOn"]!["party"].S());   // Z-1
        Assert.Equal("2026-03-09T16:00:00Z", app["waitingOn"]!["dueAt"].S());

        // DY-A5: the bytes are on disk under the shop's folder, named by id, never by the sender's file name.
        var pdfPath = Path.Combine(factory.EvidencePath, "dy1", pdf["id"].S());
        Assert.Equal(Pdf, await System.IO.File.ReadAllBytesAsync(pdfPath));
        Assert.Equal(2, StoredFiles().Length);
        Assert.DoesNotContain(StoredFiles(), p => p.Contains("营业执照", StringComparison.Ordinal) || p.EndsWith(".part", StringComparison.Ordinal));

        // The shop downloads its evidence as an attachment of the sniffed type.
        var download = await shop.GetAsync($"/api/v1/unbind-applications/{id}/evidence/{pdf["id"].S()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("营业执照.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        // While submitted: corrections and more files are allowed.
        var edited = await Kit.Expect(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { contactName = "韩梅梅" }), HttpStatusCode.OK);
        Assert.Equal("韩梅梅", edited["contact"]!["name"].S());
        var more = await Kit.Expect(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(("other", "letter.jpg", Jpeg()))),
            HttpStatusCode.OK);
        Assert.Equal(3, more["files"].A().Count);
        Assert.Equal("image/jpeg", more["files"].A().Single(f => f!["kind"].S() == "other")!["contentType"].S());

        // Only a reviewer starts the review.
        await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/start-review", null), HttpStatusCode.Forbidden, "forbidden");
        var review = await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{id}/start-review", null), HttpStatusCode.OK);
        Assert.Equal("under_review", review["state"].S());
        Assert.Equal("admin", review["reviewer"].S());
        Assert.Equal(Phone, review["contact"]!["phone"].S());   // the reviewer sees the whole number

        // DY-A3: under review, no edits, no new files; nor can it be withdrawn (DY-A2). Nothing changes.
        var eventsBefore = await Kit.EventCount(admin);
        var stored = StoredFiles().Length;
        var patch = await Kit.Denied(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { contactName = "Someone else" }));
        Assert.Equal(["DY-A3"], Kit.RulesOf(patch));
        Assert.Equal("application_under_review", Kit.Reason(patch, "DY-A3")["code"].S());
        Assert.Equal(["DY-A3"], Kit.RulesOf(await Kit.Denied(
            await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(("id_card", "id2.png", Png))))));
        Assert.Equal(["DY-A2"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/unbind-applications/{id}/withdraw", null))));
        Assert.Equal(["DY-A2"], Kit.RulesOf(await Kit.Denied(await admin.PostAsync($"/api/v1/unbind-applications/{id}/start-review", null))));
        Assert.Equal(eventsBefore, await Kit.EventCount(admin));
        Assert.Equal(stored, StoredFiles().Length);
        Assert.Equal("韩梅梅", (await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["contact"]!["name"].S());

        // DY-A2: approval ends the binding at once; DY-L3: nothing is deleted.
        var approved = await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{id}/approve", null), HttpStatusCode.OK);
        Assert.Equal("approved", approved["state"].S());
        Assert.Equal("admin", approved["decidedBy"].S());
        Assert.False(approved["overdue"].B());
        Assert.Null(approved["waitingOn"]);
        var binding = await Kit.Get(shop, $"/api/v1/bindings/{bindingId}");
        Assert.Equal("ended", binding["state"].S());
        Assert.Equal("unbind_application_approved", binding["endReason"].S());
        Assert.Equal("admin", binding["endedBy"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), binding["activatedAt"].S());
        Assert.Equal(Pdf, await (await shop.GetAsync($"/api/v1/unbind-applications/{id}/evidence/{pdf["id"].S()}")).Content.ReadAsByteArrayAsync());

        // X-1: the whole story is in the shop's history, with before and after.
        var history = (await Kit.Get(shop, "/api/v1/shops/dy1/history"))["items"].A().Select(h => h!).ToList();
        var steps = history.Where(h => h["subjectId"].S() == id).Select(h => h["action"].S()).ToArray();
        Assert.Equal(["unbind_application.submitted", "unbind_application.updated", "unbind_application.evidence_added",
            "unbind_application.review_started", "unbind_application.approved"], steps);
        var approval = history.Single(h => h["action"].S() == "unbind_application.approved");
        Assert.Equal("under_review", approval["before"]!["state"].S());
        Assert.Equal("approved", approval["after"]!["state"].S());
        Assert.Equal("**********5678", approval["after"]!["contactPhone"].S());
        Assert.Contains(history, h => h["action"].S() == "binding.ended" && h["subjectId"].S() == bindingId);
        Assert.Contains(history, h => h["action"].S() == "invitation.sent" && h["subjectId"].S() == bindingId);

        // X-2: an event for every state change; the creator sees them too (its binding), without the contact.
        var events = (await Kit.Events(admin)).Where(e => e["subjectId"].S() == id).ToList();
        Assert.Equal(["unbind_application.submitted", "unbind_application.updated", "unbind_application.evidence_added",
            "unbind_application.review_started", "unbind_application.approved"], Types(events));
        var creatorEvents = await Kit.Events(creator);
        Assert.Contains(creatorEvents, e => e["type"].S() == "unbind_application.approved");
        Assert.Contains(creatorEvents, e => e["type"].S() == "binding.ended" && e["data"]!["reason"].S() == "unbind_application_approved");
        Assert.DoesNotContain(creatorEvents, e => e.ToJsonString().Contains("13812345678", StringComparison.Ordinal)
            || e.ToJsonString().Contains("韩梅梅", StringComparison.Ordinal) || e.ToJsonString().Contains("营业执照", StringComparison.Ordinal));

        // The ended binding takes no new application.
        Assert.NotEmpty(Kit.RulesOf(await Kit.Denied(await File(shop, bindingId, Form(files: ("business_licence", "l.pdf", Pdf))))));

        // DY-A2: the account is free again; on the new binding a rejected application is followed by a new one.
        var second = await Bind(shop, "dy1", creator, "star");
        var rejected = (await FileStandard(shop, second))["id"].S();
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{rejected}/start-review", null), HttpStatusCode.OK);
        await Kit.Problem(await admin.PostAsJsonAsync($"/api/v1/unbind-applications/{rejected}/reject", new { reason = " " }),
            HttpStatusCode.BadRequest, "validation_failed");
        var rejection = await Kit.Expect(await admin.PostAsJsonAsync($"/api/v1/unbind-applications/{rejected}/reject",
            new { reason = "The licence does not name the shop's company." }), HttpStatusCode.OK);
        Assert.Equal("rejected", rejection["state"].S());
        Assert.Equal("The licence does not name the shop's company.", rejection["decisionReason"].S());
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{second}"))["state"].S());

        var again = (await FileStandard(shop, second))["id"].S();
        Assert.NotEqual(rejected, again);
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{again}/start-review", null), HttpStatusCode.OK);
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{again}/approve", null), HttpStatusCode.OK);
        Assert.Equal("ended", (await Kit.Get(shop, $"/api/v1/bindings/{second}"))["state"].S());

        var list = await Kit.Get(shop, "/api/v1/shops/dy1/unbind-applications");
        Assert.Equal(3, list.A().Count);
        Assert.Equal(["approved", "approved", "rejected"], list.A().Select(a => a!["state"].S()).Order(StringComparer.Ordinal));
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/dy1/unbind-applications?state=open")).A());
        Assert.Single(await EventsOf("unbind_application.rejected"));
    }

    [Fact] // DY-A2: one open application per binding; a withdrawn or rejected one can be followed by another
    public async Task A_binding_has_at_most_one_open_application()
    {
        var (shop, _, bindingId) = await Official("dy1", "star");
        var first = (await FileStandard(shop, bindingId))["id"].S();
        var eventsBefore = await Kit.EventCount(admin);
        var stored = StoredFiles().Length;

        var denial = await Kit.Denied(await File(shop, bindingId, Form(files: ("business_licence", "again.pdf", Pdf))));
        Assert.Equal(["DY-A2"], Kit.RulesOf(denial));
        Assert.Equal("application_open_exists", Kit.Reason(denial, "DY-A2")["code"].S());
        Assert.Equal(eventsBefore, await Kit.EventCount(admin));
        Assert.Equal(stored, StoredFiles().Length);   // the second upload was removed again

        var withdrawn = await Kit.Expect(await shop.PostAsync($"/api/v1/unbind-applications/{first}/withdraw", null), HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn["state"].S());
        Assert.Equal("merchant:dy1", withdrawn["decidedBy"].S());
        Assert.Null(withdrawn["waitingOn"]);
        Assert.Equal(["DY-A2"], Kit.RulesOf(await Kit.Denied(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{first}", new { contactName = "x" }))));
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{bindingId}"))["state"].S());
        Assert.Single(await EventsOf("unbind_application.withdrawn"));

        await FileStandard(shop, bindingId);
    }

    [Fact] // DY-O2, DY-B3, TS-U1: only a role undone by application takes one
    public async Task A_showcase_or_TikTok_binding_is_refused_with_the_rule_from_its_policy()
    {
        var shop = await DyShop("dy1");
        var fan = await DyAccount("fan");
        var showcase = await Bind(shop, "dy1", fan, "fan", "showcase");
        var refusal = await Kit.Denied(await File(shop, showcase, Form(files: ("business_licence", "l.pdf", Pdf))));
        Assert.Equal(["DY-B3"], Kit.RulesOf(refusal));
        Assert.Equal("unbind_by_owner_confirmed", Kit.Reason(refusal, "DY-B3")["code"].S());

        var tiktok = await world.Shop("tt1");
        var alice = await world.Account("alice");
        var tiktokBinding = await world.Bind(tiktok, "tt1", alice, "alice");
        Assert.Equal(["TS-U1"], Kit.RulesOf(await Kit.Denied(await File(tiktok, tiktokBinding, Form(files: ("business_licence", "l.pdf", Pdf))))));

        Assert.Empty(StoredFiles());
        Assert.Empty(await EventsOf("unbind_application.submitted"));
    }

    // ---- tenancy --------------------------------------------------------------------------------------------------

    [Fact] // DY-A5: evidence is visible only to the applicant's shop and to reviewers
    public async Task Another_shop_or_a_creator_sees_neither_the_application_nor_its_files()
    {
        var (shop, creator, bindingId) = await Official("dy1", "star");
        var (other, _, otherBinding) = await Official("dy2", "moon");
        var stranger = await DyAccount("stranger");
        var app = await FileStandard(shop, bindingId);
        var id = app["id"].S();
        var fileId = app["files"].A()[0]!["id"].S();
        var otherApp = await FileStandard(other, otherBinding);

        // Another shop is admitted by the endpoints and finds nothing (404); creators are refused before any lookup (403).
        foreach (var (who, client, status, code) in new[]
        {
            ("another shop", other, HttpStatusCode.NotFound, "not_found"),
            ("the bound creator", creator, HttpStatusCode.Forbidden, "forbidden"),
            ("another creator", stranger, HttpStatusCode.Forbidden, "forbidden"),
        })
        {
            await Kit.Problem(await client.GetAsync($"/api/v1/unbind-applications/{id}"), status, code, who);
            await Kit.Problem(await client.GetAsync($"/api/v1/unbind-applications/{id}/evidence/{fileId}"), status, code, who);
            await Kit.Problem(await client.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { contactName = "x" }), status, code, who);
            await Kit.Problem(await client.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(("id_card", "id.png", Png))),
                status, code, who);
            await Kit.Problem(await client.PostAsync($"/api/v1/unbind-applications/{id}/withdraw", null), status, code, who);
            await Kit.Problem(await client.GetAsync("/api/v1/shops/dy1/unbind-applications"), status, code, who);
            await Kit.Problem(await client.GetAsync("/api/v1/review-queue"), HttpStatusCode.Forbidden, "forbidden", who);
        }
        // A file id of one application is not reachable through another's, not even for the admin.
        await Kit.Problem(await admin.GetAsync($"/api/v1/unbind-applications/{otherApp["id"].S()}/evidence/{fileId}"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.GetAsync($"/api/v1/unbind-applications/{otherApp["id"].S()}/evidence/{fileId}"), HttpStatusCode.NotFound, "not_found");

        // A creator cannot file, for its own binding or another's (403: filing is for merchants); another shop finds nothing (404).
        await Kit.Problem(await File(creator, bindingId, Form(files: ("business_licence", "l.pdf", Pdf))), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await File(stranger, bindingId, Form(files: ("business_licence", "l.pdf", Pdf))), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await File(other, bindingId, Form(files: ("business_licence", "l.pdf", Pdf))), HttpStatusCode.NotFound, "not_found");
        // Merchants do not review.
        await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/unbind-applications/{id}/reject", new { reason = "no" }), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(2, StoredFiles().Length);
        Assert.Equal("submitted", (await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["state"].S());
        Assert.Equal(Pdf, await (await admin.GetAsync($"/api/v1/unbind-applications/{id}/evidence/{fileId}")).Content.ReadAsByteArrayAsync());
    }

    // ---- bad input ------------------------------------------------------------------------------------------------

    [Fact] // DY-A1, DY-A5: each refusal is a clear problem and changes nothing
    public async Task Bad_filings_get_a_problem_and_leave_nothing_behind()
    {
        var (shop, _, bindingId) = await Official("dy1", "star");
        var events = await Kit.EventCount(admin);

        async Task<JsonNode> Refused(MultipartFormDataContent form, HttpStatusCode status, string code, string rule)
        {
            var problem = await Kit.Problem(await File(shop, bindingId, form), status, code);
            Assert.Equal([rule], Kit.RulesOf(problem));
            Assert.Equal(events, await Kit.EventCount(admin));
            Assert.Empty(StoredFiles());
            Assert.Empty((await Kit.Get(shop, "/api/v1/shops/dy1/unbind-applications")).A());
            return problem;
        }

        var licence = ("business_licence", "licence.pdf", Pdf);
        var unknown = await Refused(Form("bored", null, "李雷", Phone, licence), HttpStatusCode.BadRequest, "validation_failed", "DY-A1");
        Assert.NotNull(unknown["errors"]!["reason"]);
        Assert.Equal("application_reason_unknown", Kit.Reason(unknown, "DY-A1")["code"].S());

        var noText = await Refused(Form("other", null, "李雷", Phone, licence), HttpStatusCode.BadRequest, "validation_failed", "DY-A1");
        Assert.NotNull(noText["errors"]!["reasonText"]);

        var noLicence = await Refused(Form("wrong_account", null, "李雷", Phone, ("id_card", "id.png", Png)), HttpStatusCode.BadRequest,
            "validation_failed", "DY-A1");
        Assert.NotNull(noLicence["errors"]!["business_licence"]);
        Assert.Equal("application_evidence_missing", Kit.Reason(noLicence, "DY-A1")["code"].S());

        var noContact = await Refused(Form("wrong_account", null, null, "phone", licence), HttpStatusCode.BadRequest, "validation_failed", "DY-A1");
        Assert.NotNull(noContact["errors"]!["contactName"]);
        Assert.NotNull(noContact["errors"]!["contactPhone"]);

        // An executable renamed .png, and a PNG called .pdf: the content decides.
        var disguised = await Refused(Form("wrong_account", null, "李雷", Phone, ("business_licence", "licence.png", Exe)),
            HttpStatusCode.UnsupportedMediaType, "evidence_type_not_allowed", "DY-A5");
        Assert.Contains("licence.png", disguised["detail"].S(), StringComparison.Ordinal);
        await Refused(Form("wrong_account", null, "李雷", Phone, ("business_licence", "licence.pdf", Png)),
            HttpStatusCode.UnsupportedMediaType, "evidence_type_not_allowed", "DY-A5");
        // A good first file does not survive a bad second one.
        await Refused(Form("wrong_account", null, "李雷", Phone, licence, ("id_card", "id.png", Exe)),
            HttpStatusCode.UnsupportedMediaType, "evidence_type_not_allowed", "DY-A5");

        var oversized = new byte[(10 << 20) + 1];
        Pdf.CopyTo(oversized, 0);
        var tooLarge = await Refused(Form("wrong_account", null, "李雷", Phone, ("business_licence", "big.pdf", oversized)),
            HttpStatusCode.RequestEntityTooLarge, "evidence_too_large", "DY-A5");
        Assert.Contains("10 MiB", tooLarge["detail"].S(), StringComparison.Ordinal);

        var eleven = Enumerable.Range(0, 11).Select(i => ("business_licence", $"l{i}.pdf", Pdf)).ToArray();
        var tooMany = await Refused(Form("wrong_account", null, "李雷", Phone, eleven), HttpStatusCode.BadRequest, "validation_failed", "DY-A5");
        Assert.Equal("evidence_too_many", Kit.Reason(tooMany, "DY-A5")["code"].S());

        var selfie = await Refused(Form("wrong_account", null, "李雷", Phone, licence, ("selfie", "me.png", Png)),
            HttpStatusCode.BadRequest, "validation_failed", "DY-A5");
        Assert.Equal("evidence_kind_unknown", Kit.Reason(selfie, "DY-A5")["code"].S());

        // Not a form at all.
        var json = await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/bindings/{bindingId}/unbind-applications", new { reason = "wrong_account" }),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("multipart/form-data", json["detail"].S(), StringComparison.Ordinal);
        var extraField = new MultipartFormDataContent { { new StringContent("x"), "comment" } };
        await Kit.Problem(await File(shop, bindingId, extraField), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(events, await Kit.EventCount(admin));
        Assert.Empty(StoredFiles());
        // Chinese callers get Chinese messages.
        var zhShop = await Token(new { kind = "merchant", shopId = "dy1" }, "zh-CN");
        var zhProblem = await Kit.Problem(await File(zhShop, bindingId, Form("other", null, "李雷", Phone)), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("reasonText", zhProblem["detail"].S(), StringComparison.Ordinal);
        Assert.Contains("须在", zhProblem["detail"].S(), StringComparison.Ordinal);
    }

    [Fact] // DY-A1, DY-A5: corrections and added files are checked like a filing
    public async Task Bad_corrections_and_uploads_change_nothing()
    {
        var (shop, _, bindingId) = await Official("dy1", "star");
        var id = (await FileStandard(shop, bindingId))["id"].S();
        var before = (await Kit.Get(shop, $"/api/v1/unbind-applications/{id}")).ToJsonString();
        var events = await Kit.EventCount(admin);
        var stored = StoredFiles().Length;

        var unknown = await Kit.Problem(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { reason = "bored" }),
            HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["DY-A1"], Kit.RulesOf(unknown));
        // A reason whose evidence is not attached yet needs the file first.
        var trademark = await Kit.Problem(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { reason = "trademark" }),
            HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("application_evidence_missing", Kit.Reason(trademark, "DY-A1")["code"].S());
        await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(("trademark_certificate", "tm.jpg", Exe))),
            HttpStatusCode.UnsupportedMediaType, "evidence_type_not_allowed");
        await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files()), HttpStatusCode.BadRequest, "malformed_request");
        await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", new MultipartFormDataContent { { new StringContent("x"), "note" } }),
            HttpStatusCode.BadRequest, "validation_failed");
        var ten = Enumerable.Range(0, 10).Select(i => ("other", $"o{i}.png", Png)).ToArray();
        var tooMany = await Kit.Problem(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(ten)),
            HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("evidence_too_many", Kit.Reason(tooMany, "DY-A5")["code"].S());

        Assert.Equal(before, (await Kit.Get(shop, $"/api/v1/unbind-applications/{id}")).ToJsonString());
        Assert.Equal(events, await Kit.EventCount(admin));
        Assert.Equal(stored, StoredFiles().Length);

        // With the certificate attached, the reason can change.
        await Kit.Expect(await shop.PostAsync($"/api/v1/unbind-applications/{id}/evidence", Files(("trademark_certificate", "tm.pdf", Pdf))), HttpStatusCode.OK);
        var changed = await Kit.Expect(await shop.PatchAsJsonAsync($"/api/v1/unbind-applications/{id}", new { reason = "trademark" }), HttpStatusCode.OK);
        Assert.Equal("商标或品牌纠纷", changed["reason"]!["zh"].S());
        var updated = Assert.Single(await EventsOf("unbind_application.updated"));
        Assert.Equal(["reason"], updated["data"]!["details"]!["changed"].A().Select(x => x.S()));
    }

    [Fact] // DY-A5, Z-3: a retried upload with the same Idempotency-Key files once and keeps one copy of each file
    public async Task A_retried_filing_is_acted_on_once()
    {
        var (shop, _, bindingId) = await Official("dy1", "star");

        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/bindings/{bindingId}/unbind-applications")
            {
                Content = Form(files: ("business_licence", "licence.pdf", Pdf)),
            };
            request.Headers.Add("Idempotency-Key", "file-once");
            return await shop.SendAsync(request);
        }

        var first = await Kit.Expect(await Send(), HttpStatusCode.Created);
        var retry = await Send();
        var replayed = await Kit.Expect(retry, HttpStatusCode.Created);

        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first["id"].S(), replayed["id"].S());
        Assert.Single(await EventsOf("unbind_application.submitted"));
        Assert.Single(StoredFiles());
    }

    // ---- time -----------------------------------------------------------------------------------------------------

    [Fact] // DY-A4, X-5: the queue is ordered by due date and flags what the clock has passed
    public async Task The_review_queue_orders_by_due_date_and_flags_overdue_applications()
    {
        var (first, _, firstBinding) = await Official("dy1", "star");
        var (second, _, secondBinding) = await Official("dy2", "moon");
        var (third, _, thirdBinding) = await Official("dy3", "sun");
        var early = (await FileStandard(first, firstBinding))["id"].S();          // Monday: due 2026-03-09T16:00Z
        var withdrawn = (await FileStandard(third, thirdBinding))["id"].S();
        await Kit.Expect(await third.PostAsync($"/api/v1/unbind-applications/{withdrawn}/withdraw", null), HttpStatusCode.OK);

        await world.Advance("P3D");
        var late = await FileStandard(second, secondBinding);                      // Thursday: due 2026-03-12T16:00Z
        Assert.Equal("2026-03-12T16:00:00Z", late["dueAt"].S());
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{late["id"].S()}/start-review", null), HttpStatusCode.OK);

        var queue = await Kit.Get(admin, "/api/v1/review-queue");
        Assert.Equal([early, late["id"].S()], queue["items"].A().Select(i => i!["id"].S()));
        Assert.Equal([false, false], queue["items"].A().Select(i => i!["overdue"].B()));
        Assert.Equal(0, queue["overdue"].I());

        await world.Advance("P5D");   // 2026-03-10T08:00Z: past the first due date, not the second

        queue = await Kit.Get(admin, "/api/v1/review-queue");
        Assert.Equal(Kit.At(TimeSpan.FromDays(8)), queue["asOf"].S());
        Assert.Equal([early, late["id"].S()], queue["items"].A().Select(i => i!["id"].S()));
        Assert.Equal([true, false], queue["items"].A().Select(i => i!["overdue"].B()));
        Assert.Equal(["submitted", "under_review"], queue["items"].A().Select(i => i!["state"].S()));
        Assert.Equal(2, queue["count"].I());
        Assert.Equal(1, queue["overdue"].I());
        // The merchant sees the same at any time.
        var mine = await Kit.Get(first, $"/api/v1/unbind-applications/{early}");
        Assert.True(mine["overdue"].B());
        Assert.Equal("2026-03-09T16:00:00Z", mine["waitingOn"]!["dueAt"].S());
        Assert.False((await Kit.Get(second, $"/api/v1/unbind-applications/{late["id"].S()}"))["overdue"].B());
    }

    [Fact] // DY-A4, X-1, X-2: the overdue state is recorded once, at the due instant, whenever it is noticed
    public async Task The_overdue_event_is_recorded_once_at_the_due_instant()
    {
        var (shop, _, bindingId) = await Official("dy1", "star");
        var (decidedShop, _, decidedBinding) = await Official("dy2", "moon");
        var id = (await FileStandard(shop, bindingId))["id"].S();
        var decided = (await FileStandard(decidedShop, decidedBinding))["id"].S();
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{decided}/start-review", null), HttpStatusCode.OK);
        await Kit.Expect(await admin.PostAsJsonAsync($"/api/v1/unbind-applications/{decided}/reject", new { reason = "incomplete" }), HttpStatusCode.OK);
        const string due = "2026-03-09T16:00:00Z";

        // One second before: not yet (moving the time source itself: the read must settle on its own).
        factory.Clock.Advance(new DateTimeOffset(2026, 3, 9, 15, 59, 59, TimeSpan.Zero) - BinderyFactory.Start);
        Assert.False((await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["overdue"].B());
        Assert.Empty(await EventsOf("unbind_application.overdue"));

        await world.Advance("P8D");
        Assert.True((await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["overdue"].B());
        var overdue = Assert.Single(await EventsOf("unbind_application.overdue"));
        Assert.Equal(due, overdue["at"].S());
        Assert.Equal(id, overdue["subjectId"].S());
        Assert.Equal("dy1", overdue["shopId"].S());
        var moved = Assert.Single(await EventsOf("clock.advanced"));
        Assert.True(overdue["seq"]!.GetValue<long>() > moved["seq"]!.GetValue<long>());

        var entry = Assert.Single((await Kit.Get(shop, "/api/v1/shops/dy1/history"))["items"].A(), h => h!["action"].S() == "unbind_application.overdue")!;
        Assert.Equal(due, entry["at"].S());
        Assert.Equal("system", entry["actor"].S());
        Assert.Null(entry["before"]!["overdueAt"]);
        Assert.Equal(due, entry["after"]!["overdueAt"].S());

        // Once only, and never for the application decided in time.
        await world.Advance("P10D");
        await Kit.Get(admin, "/api/v1/review-queue");
        Assert.Single(await EventsOf("unbind_application.overdue"));
        // Deciding it late is still possible and recorded.
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{id}/start-review", null), HttpStatusCode.OK);
        Assert.True((await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["overdue"].B());
        await Kit.Expect(await admin.PostAsync($"/api/v1/unbind-applications/{id}/approve", null), HttpStatusCode.OK);
        Assert.False((await Kit.Get(shop, $"/api/v1/unbind-applications/{id}"))["overdue"].B());
        Assert.Single(await EventsOf("unbind_application.overdue"));
    }

    private static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9];
}
