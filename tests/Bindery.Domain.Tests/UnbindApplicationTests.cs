using System.Text;
using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>DY-A1..A5: what an unbind application must hold, which actions each state allows, which evidence is accepted.</summary>
public sealed class UnbindApplicationTests
{
    private static UnbindApplicationPolicy Applications => Douyin.UnbindApplication!;

    private static EvidencePolicy Evidence => Applications.Evidence;

    private const string Phone = "+8613800000000";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n");
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];
    private static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00];

    private static Decision File(string? reason, string? text = null, string? name = "Li Lei", string? phone = Phone, params string[] kinds) =>
        UnbindApplications.CheckFiling(Applications, reason, text, name, phone, kinds);

    private static string[] Codes(Decision d) => d.Reasons.Select(r => r.Code).ToArray();

    [Fact] // DY-A1
    public void The_preset_lists_reasons_with_their_evidence_and_other_needs_text()
    {
        Assert.Equal(["wrong_account", "account_lost", "entity_changed", "trademark", "other"], Applications.Reasons.Select(r => r.Code));
        Assert.Equal(["business_licence"], Applications.Reason("wrong_account")!.RequiredEvidence);
        Assert.Equal(["id_card"], Applications.Reason("account_lost")!.RequiredEvidence);
        Assert.Equal(["trademark_certificate"], Applications.Reason("trademark")!.RequiredEvidence);
        Assert.True(Applications.Reason("other")!.RequiresText);
        Assert.Empty(Applications.Reason("other")!.RequiredEvidence);
        Assert.Equal("绑错账号", Applications.Reason("wrong_account")!.Zh);
    }

    [Fact] // DY-A1
    public void A_complete_filing_with_the_required_evidence_is_allowed()
    {
        Assert.True(File("wrong_account", null, "Li Lei", Phone, "business_licence").IsAllowed);
        Assert.True(File("wrong_account", null, "Li Lei", Phone, "id_card", "business_licence", "business_licence").IsAllowed);
        Assert.True(File("other", "The creator left the company", "Li Lei", "13800000000").IsAllowed);
    }

    [Fact] // DY-A1
    public void An_unknown_or_missing_reason_is_refused_and_the_message_lists_the_reasons()
    {
        var reason = Single(File("bored", null, "Li Lei", Phone, "business_licence"));

        Assert.Equal("DY-A1", reason.Rule);
        Assert.Equal("application_reason_unknown", reason.Code);
        Assert.Equal("reason", reason.Args!["field"]);
        Assert.Contains("wrong_account, account_lost, entity_changed, trademark, other", reason.Message(Language.En), StringComparison.Ordinal);
        Assert.Equal("application_reason_unknown", Single(File(null)).Code);
    }

    [Theory] // DY-A1: "other" needs a description
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void The_reason_other_without_text_is_refused(string? text)
    {
        var reason = Single(File("other", text));

        Assert.Equal("DY-A1", reason.Rule);
        Assert.Equal("application_reason_text_required", reason.Code);
        Assert.Equal("reasonText", reason.Args!["field"]);
    }

    [Fact] // DY-A1: the reason decides the evidence
    public void Missing_required_evidence_is_refused_naming_the_kind()
    {
        var reason = Single(File("trademark", null, "Li Lei", Phone, "id_card", "business_licence"));

        Assert.Equal("DY-A1", reason.Rule);
        Assert.Equal("application_evidence_missing", reason.Code);
        Assert.Equal("trademark_certificate", reason.Args!["kind"]);
        Assert.Equal("The reason 'trademark' needs at least one evidence file of kind trademark_certificate.", reason.Message(Language.En));
    }

    [Fact] // DY-A1: every failing part is reported at once
    public void Contact_name_and_phone_are_required_and_every_failure_is_listed()
    {
        var decision = File("account_lost", new string('x', UnbindApplications.MaxReasonText + 1), "  ", "call me");

        Assert.Equal(
            ["application_evidence_missing", "application_reason_text_too_long", "application_contact_name_invalid", "application_contact_phone_invalid"],
            Codes(decision));
        Assert.All(decision.Reasons, r => Assert.Equal("DY-A1", r.Rule));
        Assert.Equal("application_contact_name_invalid", Single(File("other", "x", new string('n', UnbindApplications.MaxContactName + 1))).Code);
        Assert.Equal("application_contact_phone_invalid", Single(File("other", "x", "Li Lei", null)).Code);
        Assert.Equal("application_contact_phone_invalid", Single(File("other", "x", "Li Lei", "12345")).Code);
    }

    [Fact] // DY-A2: one open application per binding
    public void A_new_application_is_refused_while_another_is_open()
    {
        Assert.True(UnbindApplications.CheckNoOpenApplication(null).IsAllowed);
        var reason = Single(UnbindApplications.CheckNoOpenApplication("uba_1"));

        Assert.Equal("DY-A2", reason.Rule);
        Assert.Equal("application_open_exists", reason.Code);
        Assert.Contains("uba_1", reason.Message(Language.En), StringComparison.Ordinal);
    }

    [Theory] // DY-A2: submitted → under review → approved | rejected; a submitted one may be withdrawn
    [InlineData(ApplicationAction.Edit, ApplicationState.Submitted)]
    [InlineData(ApplicationAction.AddEvidence, ApplicationState.Submitted)]
    [InlineData(ApplicationAction.Withdraw, ApplicationState.Submitted)]
    [InlineData(ApplicationAction.StartReview, ApplicationState.Submitted)]
    [InlineData(ApplicationAction.Approve, ApplicationState.UnderReview)]
    [InlineData(ApplicationAction.Reject, ApplicationState.UnderReview)]
    public void DY_A2_these_transitions_are_allowed(ApplicationAction action, ApplicationState state)
    {
        Assert.True(UnbindApplications.CheckTransition(action, state).IsAllowed);
    }

    [Theory] // DY-A2: every other transition is refused with the state in the message
    [InlineData(ApplicationAction.StartReview, ApplicationState.UnderReview, "application_not_submitted")]
    [InlineData(ApplicationAction.StartReview, ApplicationState.Rejected, "application_not_submitted")]
    [InlineData(ApplicationAction.Approve, ApplicationState.Submitted, "application_not_under_review")]
    [InlineData(ApplicationAction.Reject, ApplicationState.Submitted, "application_not_under_review")]
    [InlineData(ApplicationAction.Approve, ApplicationState.Approved, "application_not_under_review")]
    [InlineData(ApplicationAction.Reject, ApplicationState.Withdrawn, "application_not_under_review")]
    [InlineData(ApplicationAction.Edit, ApplicationState.Rejected, "application_closed")]
    [InlineData(ApplicationAction.AddEvidence, ApplicationState.Approved, "application_closed")]
    [InlineData(ApplicationAction.Withdraw, ApplicationState.Withdrawn, "application_closed")]
    [InlineData(ApplicationAction.Withdraw, ApplicationState.UnderReview, "application_withdraw_in_review")]
    public void DY_A2_other_transitions_are_refused(ApplicationAction action, ApplicationState state, string code)
    {
        var reason = Single(UnbindApplications.CheckTransition(action, state));

        Assert.Equal("DY-A2", reason.Rule);
        Assert.Equal(code, reason.Code);
    }

    [Theory] // DY-A3: under review, no edits and no new files
    [InlineData(ApplicationAction.Edit)]
    [InlineData(ApplicationAction.AddEvidence)]
    public void DY_A3_an_application_under_review_cannot_be_edited_nor_given_files(ApplicationAction action)
    {
        var reason = Single(UnbindApplications.CheckTransition(action, ApplicationState.UnderReview));

        Assert.Equal("DY-A3", reason.Rule);
        Assert.Equal("application_under_review", reason.Code);
        Assert.Equal("申请审核中，在审核结果出来前不能修改，也不能补充材料。", reason.Message(Language.ZhCn));
    }

    [Fact] // DY-A2: approval ends the binding, so the binding must still be active
    public void Approval_needs_a_binding_that_is_still_active()
    {
        Assert.True(UnbindApplications.CheckBindingStillActive(BindingState.Active).IsAllowed);
        var reason = Single(UnbindApplications.CheckBindingStillActive(BindingState.Ended));

        Assert.Equal("DY-A2", reason.Rule);
        Assert.Equal("The binding is ended, so the application can no longer end it; reject the application instead.", reason.Message(Language.En));
    }

    [Fact] // DY-A5: the preset's evidence limits
    public void The_preset_accepts_pdf_jpeg_and_png_up_to_10_MiB_and_10_files()
    {
        Assert.Equal(10 * 1024 * 1024, Evidence.MaxBytes);
        Assert.Equal(10, Evidence.MaxFiles);
        Assert.Equal(["application/pdf", "image/jpeg", "image/png"], Evidence.ContentTypes.Order(StringComparer.Ordinal));
        Assert.Equal(["business_licence", "id_card", "other", "trademark_certificate"], Evidence.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact] // DY-A5: the type comes from the content
    public void The_sniffer_recognises_pdf_jpeg_and_png_by_their_first_bytes_only()
    {
        Assert.Equal("application/pdf", EvidenceSniffer.Sniff(Pdf));
        Assert.Equal("image/jpeg", EvidenceSniffer.Sniff(Jpeg));
        Assert.Equal("image/png", EvidenceSniffer.Sniff(Png));
        Assert.Null(EvidenceSniffer.Sniff(Exe));
        Assert.Null(EvidenceSniffer.Sniff([]));
        Assert.Null(EvidenceSniffer.Sniff(Png.AsSpan(0, 7)));             // a truncated PNG signature
        Assert.Null(EvidenceSniffer.Sniff(Encoding.ASCII.GetBytes("GIF89a..")));
    }

    [Theory] // DY-A5: allow-listed content whose extension agrees
    [InlineData("licence.pdf", "application/pdf")]
    [InlineData("ID CARD.JPG", "image/jpeg")]
    [InlineData("id.jpeg", "image/jpeg")]
    [InlineData("scan.Png", "image/png")]
    public void A_file_whose_content_and_extension_agree_is_accepted(string fileName, string sniffed)
    {
        Assert.True(UnbindApplications.CheckEvidenceType(Evidence, fileName, sniffed).IsAllowed);
    }

    [Theory] // DY-A5: a disguised or mislabelled file is refused
    [InlineData("licence.png", null)]                 // an executable renamed .png: the content is not an image
    [InlineData("licence.pdf", "image/png")]          // a PNG called .pdf
    [InlineData("licence", "application/pdf")]        // no extension to agree with
    [InlineData("licence.exe", "application/pdf")]
    public void A_file_whose_content_is_unknown_or_disagrees_with_its_extension_is_refused(string fileName, string? sniffed)
    {
        var reason = Single(UnbindApplications.CheckEvidenceType(Evidence, fileName, sniffed));

        Assert.Equal("DY-A5", reason.Rule);
        Assert.Equal("evidence_type_not_allowed", reason.Code);
        Assert.Equal(fileName, reason.Args!["fileName"]);
    }

    [Fact] // DY-A5: the allow-list is the policy's
    public void A_known_type_left_out_of_the_policy_is_refused()
    {
        var pdfOnly = Evidence with { ContentTypes = new HashSet<string>(StringComparer.Ordinal) { "application/pdf" } };

        Assert.True(UnbindApplications.CheckEvidenceType(pdfOnly, "a.pdf", "application/pdf").IsAllowed);
        Assert.Equal("evidence_type_not_allowed", Single(UnbindApplications.CheckEvidenceType(pdfOnly, "a.png", "image/png")).Code);
    }

    [Fact] // DY-A5
    public void A_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused()
    {
        Assert.True(UnbindApplications.CheckEvidenceSize(Evidence, "a.pdf", Evidence.MaxBytes).IsAllowed);
        var reason = Single(UnbindApplications.CheckEvidenceSize(Evidence, "a.pdf", Evidence.MaxBytes + 1));

        Assert.Equal("DY-A5", reason.Rule);
        Assert.Equal("evidence_too_large", reason.Code);
        Assert.Equal("The file a.pdf is larger than the limit of 10 MiB.", reason.Message(Language.En));
    }

    [Fact] // DY-A5: at most maxFiles in all, counting files already attached
    public void At_most_the_policy_number_of_files_counting_those_attached()
    {
        Assert.True(UnbindApplications.CheckFileCount(Evidence, 0, 10).IsAllowed);
        Assert.True(UnbindApplications.CheckFileCount(Evidence, 7, 3).IsAllowed);
        var reason = Single(UnbindApplications.CheckFileCount(Evidence, 8, 3));

        Assert.Equal("DY-A5", reason.Rule);
        Assert.Equal("evidence_too_many", reason.Code);
        Assert.Equal("An application holds at most 10 evidence files; it has 8 and 3 more were sent.", reason.Message(Language.En));
    }

    [Fact] // DY-A5: a file's form field names its kind
    public void An_unknown_evidence_kind_is_refused()
    {
        Assert.True(UnbindApplications.CheckEvidenceKind(Evidence, "id_card").IsAllowed);
        var reason = Single(UnbindApplications.CheckEvidenceKind(Evidence, "selfie"));

        Assert.Equal("DY-A5", reason.Rule);
        Assert.Equal("evidence_kind_unknown", reason.Code);
    }

    [Fact] // DY-O2: only an application undoes an official Douyin binding, and only such a binding takes one
    public void Only_a_role_undone_by_application_can_be_applied_for()
    {
        var douyinInput = OnActive(BindingRole.Official, T0) with { Account = Account() with { Origin = AccountOrigin.Douyin } };

        Assert.True(Rules.Decide(BindingAction.ApplyUnbind, douyinInput, Douyin, T0).IsAllowed);
        Assert.Equal(["DY-B3"], RulesOf(Rules.Decide(BindingAction.ApplyUnbind, OnActive(BindingRole.Showcase, T0), Douyin, T0)));
        Assert.Equal(["TS-U1"], RulesOf(Rules.Decide(BindingAction.ApplyUnbind, OnActive(BindingRole.Official, T0), Preset, T0 + Days(2))));
    }

    [Fact] // DY-A5: a byte count reads in whole units when it can
    public void Byte_counts_read_as_MiB_KiB_or_bytes()
    {
        Assert.Equal("10 MiB", UnbindApplications.Bytes(10 * 1024 * 1024));
        Assert.Equal("512 KiB", UnbindApplications.Bytes(512 * 1024));
        Assert.Equal("1000 bytes", UnbindApplications.Bytes(1000));
    }
}
