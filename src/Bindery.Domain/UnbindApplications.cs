using System.Globalization;
using System.Text.RegularExpressions;

namespace Bindery.Domain;

/// <summary>What a merchant or a reviewer does with an unbind application (DY-A2, DY-A3).</summary>
public enum ApplicationAction { Edit, AddEvidence, Withdraw, StartReview, Approve, Reject }

/// <summary>
/// The rules of unbind applications (DY-A1..DY-A5) as pure functions: what a filing must hold, which action each
/// state allows, which evidence files are accepted and when the review is due. Every check answers with a
/// <see cref="Decision"/> listing every failing rule, like <see cref="Rules.Decide"/>.
/// </summary>
public static partial class UnbindApplications
{
    public static readonly string Filing = RuleCatalog.ApplicationFiling.Id;
    public static readonly string States = RuleCatalog.ApplicationStates.Id;
    public static readonly string FrozenInReview = RuleCatalog.ApplicationFrozenInReview.Id;
    public static readonly string ReviewDue = RuleCatalog.ApplicationReviewDue.Id;
    public static readonly string Evidence = RuleCatalog.ApplicationEvidence.Id;

    /// <summary>Why the binding ended when an application was approved (DY-A2); nothing is deleted (DY-L3).</summary>
    public const string EndReason = "unbind_application_approved";

    public const int MaxContactName = 100;
    public const int MaxReasonText = 1000;
    public const int MaxFileName = 255;

    [GeneratedRegex(@"^\+?[0-9]{6,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    /// <summary>Open applications wait for staff; at most one per binding (DY-A2).</summary>
    public static bool IsOpen(ApplicationState state) => state is ApplicationState.Submitted or ApplicationState.UnderReview;

    /// <summary>
    /// DY-A1: a reason from the policy's list (one that requires text, such as "other", with text), a contact name and
    /// phone, and at least one file of every evidence kind the reason requires among <paramref name="evidenceKinds"/>.
    /// Each reason's <c>field</c> argument names the form field at fault.
    /// </summary>
    public static Decision CheckFiling(UnbindApplicationPolicy policy, string? reason, string? reasonText, string? contactName,
        string? contactPhone, IEnumerable<string> evidenceKinds)
    {
        var reasons = new List<Reason>();
        var chosen = reason is null ? null : policy.Reason(reason);
        if (chosen is null)
        {
            reasons.Add(new Reason(Filing, "application_reason_unknown", Args: Args(("field", "reason"), ("reason", reason ?? "(none)"),
                ("reasons", string.Join(", ", policy.Reasons.Select(r => r.Code))))));
        }
        else
        {
            if (chosen.RequiresText && string.IsNullOrWhiteSpace(reasonText))
            {
                reasons.Add(new Reason(Filing, "application_reason_text_required", Args: Args(("field", "reasonText"), ("reason", chosen.Code))));
            }
            var present = evidenceKinds.ToHashSet(StringComparer.Ordinal);
            foreach (var kind in chosen.RequiredEvidence.Where(k => !present.Contains(k)).Order(StringComparer.Ordinal))
            {
                reasons.Add(new Reason(Filing, "application_evidence_missing", Args: Args(("field", kind), ("reason", chosen.Code), ("kind", kind))));
            }
        }
        if (reasonText is { Length: > MaxReasonText })
        {
            reasons.Add(new Reason(Filing, "application_reason_text_too_long", Args: Args(("field", "reasonText"), ("limit", Num(MaxReasonText)))));
        }
        if (string.IsNullOrWhiteSpace(contactName) || contactName.Length > MaxContactName)
        {
            reasons.Add(new Reason(Filing, "application_contact_name_invalid", Args: Args(("field", "contactName"), ("limit", Num(MaxContactName)))));
        }
        if (contactPhone is null || !PhonePattern().IsMatch(contactPhone))
        {
            reasons.Add(new Reason(Filing, "application_contact_phone_invalid", Args: Args(("field", "contactPhone"))));
        }
        return Decision.Denied(reasons);
    }

    /// <summary>DY-A2: a new application only when the binding has no open one (a rejected one may be followed by another).</summary>
    public static Decision CheckNoOpenApplication(string? openApplicationId) =>
        openApplicationId is null
            ? Decision.Allowed
            : Decision.Denied([new Reason(States, "application_open_exists", Args: Args(("applicationId", openApplicationId)))]);

    /// <summary>
    /// DY-A2 / DY-A3: submitted → under review → approved | rejected; a submitted application may be edited, given more
    /// files or withdrawn; under review it is frozen (DY-A3) until the reviewer decides.
    /// </summary>
    public static Decision CheckTransition(ApplicationAction action, ApplicationState state)
    {
        var args = Args(("state", Wire.Name(state)));
        Reason? reason = action switch
        {
            ApplicationAction.Edit or ApplicationAction.AddEvidence when state == ApplicationState.UnderReview =>
                new Reason(FrozenInReview, "application_under_review", Args: args),
            ApplicationAction.Withdraw when state == ApplicationState.UnderReview =>
                new Reason(States, "application_withdraw_in_review", Args: args),
            ApplicationAction.Edit or ApplicationAction.AddEvidence or ApplicationAction.Withdraw when state != ApplicationState.Submitted =>
                new Reason(States, "application_closed", Args: args),
            ApplicationAction.StartReview when state != ApplicationState.Submitted =>
                new Reason(States, "application_not_submitted", Args: args),
            ApplicationAction.Approve or ApplicationAction.Reject when state != ApplicationState.UnderReview =>
                new Reason(States, "application_not_under_review", Args: args),
            _ => null,
        };
        return reason is null ? Decision.Allowed : Decision.Denied([reason]);
    }

    /// <summary>DY-A2: approval ends the binding, so the binding must still be active.</summary>
    public static Decision CheckBindingStillActive(BindingState bindingState) =>
        bindingState == BindingState.Active
            ? Decision.Allowed
            : Decision.Denied([new Reason(States, "application_binding_not_active", Args: Args(("state", Wire.Name(bindingState))))]);

    /// <summary>DY-A5: a file's form field names one of the policy's evidence kinds.</summary>
    public static Decision CheckEvidenceKind(EvidencePolicy policy, string kind) =>
        policy.Kinds.Contains(kind)
            ? Decision.Allowed
            : Decision.Denied([new Reason(Evidence, "evidence_kind_unknown",
                Args: Args(("kind", kind), ("kinds", string.Join(", ", policy.Kinds.Order(StringComparer.Ordinal)))))]);

    /// <summary>DY-A5: at most the policy's number of files per application, counting those already attached.</summary>
    public static Decision CheckFileCount(EvidencePolicy policy, int attached, int adding) =>
        attached + adding <= policy.MaxFiles
            ? Decision.Allowed
            : Decision.Denied([new Reason(Evidence, "evidence_too_many",
                Args: Args(("limit", Num(policy.MaxFiles)), ("attached", Num(attached)), ("adding", Num(adding))))]);

    /// <summary>
    /// DY-A5: the type sniffed from the content (<see cref="EvidenceSniffer"/>; null = not recognised) is in the policy's
    /// allow-list and agrees with the file name's extension, so a renamed executable or a PNG called .pdf is refused.
    /// </summary>
    public static Decision CheckEvidenceType(EvidencePolicy policy, string fileName, string? sniffedType)
    {
        if (sniffedType is not null && policy.ContentTypes.Contains(sniffedType) && EvidenceSniffer.ExtensionFits(fileName, sniffedType))
        {
            return Decision.Allowed;
        }
        var extension = Path.GetExtension(fileName);
        return Decision.Denied([new Reason(Evidence, "evidence_type_not_allowed", Args: Args(
            ("fileName", fileName),
            ("detected", sniffedType ?? "unknown"),
            ("extension", extension.Length == 0 ? "none" : extension),
            ("allowed", string.Join(", ", policy.ContentTypes.Order(StringComparer.Ordinal)))))]);
    }

    /// <summary>DY-A5: a file of more than the policy's byte limit is refused (the reader stops at the first byte over).</summary>
    public static Decision CheckEvidenceSize(EvidencePolicy policy, string fileName, long size) =>
        size <= policy.MaxBytes
            ? Decision.Allowed
            : Decision.Denied([new Reason(Evidence, "evidence_too_large", Args: Args(("fileName", fileName), ("limit", Bytes(policy.MaxBytes))))]);

    /// <summary>
    /// DY-A4: the review is expected between the ends of the policy's minimum and maximum number of business days
    /// after the filing day; the later instant is the due date.
    /// </summary>
    public static (DateTimeOffset Earliest, DateTimeOffset Due) ReviewWindow(UnbindApplicationPolicy policy, DateTimeOffset submittedAt) =>
        (policy.Calendar.EndOfBusinessDaysAfter(submittedAt, policy.ReviewMinBusinessDays),
         policy.Calendar.EndOfBusinessDaysAfter(submittedAt, policy.ReviewMaxBusinessDays));

    /// <summary>DY-A4: an open application is overdue from its due instant on (the window is half-open).</summary>
    public static bool IsOverdue(ApplicationState state, DateTimeOffset dueAt, DateTimeOffset now) => IsOpen(state) && now >= dueAt;

    /// <summary>A byte count as people read it: "10 MiB" when whole, else the bytes.</summary>
    public static string Bytes(long n) =>
        n >= 1 << 20 && n % (1 << 20) == 0 ? (n >> 20).ToString(CultureInfo.InvariantCulture) + " MiB"
        : n >= 1 << 10 && n % (1 << 10) == 0 ? (n >> 10).ToString(CultureInfo.InvariantCulture) + " KiB"
        : n.ToString(CultureInfo.InvariantCulture) + " bytes";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}

/// <summary>
/// DY-A5: the type of an evidence file from its first bytes, never from what the sender claims: PDF (<c>%PDF-</c>),
/// JPEG (<c>FF D8 FF</c>), PNG (<c>89 50 4E 47 0D 0A 1A 0A</c>).
/// </summary>
public static class EvidenceSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs to decide.</summary>
    public const int HeadLength = 8;

    private static readonly (string Type, byte[] Magic, string[] Extensions)[] Known =
    [
        ("application/pdf", "%PDF-"u8.ToArray(), [".pdf"]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF], [".jpg", ".jpeg"]),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [".png"]),
    ];

    /// <summary>The content type the bytes start with, or null when they are none of the known types.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        foreach (var (type, magic, _) in Known)
        {
            if (head.StartsWith(magic))
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>Whether the file name ends in an extension of the content type (case-insensitive).</summary>
    public static bool ExtensionFits(string fileName, string contentType)
    {
        var extension = Path.GetExtension(fileName);
        return Known.Any(k => string.Equals(k.Type, contentType, StringComparison.Ordinal)
            && k.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }
}
