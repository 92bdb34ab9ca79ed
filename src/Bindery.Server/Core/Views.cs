using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Core;

/// <summary>One failing rule as the API shows it: message in the caller's language plus both languages.</summary>
public sealed record ReasonView(
    string Rule,
    string Code,
    string Message,
    IReadOnlyDictionary<string, string> Messages,
    DateTimeOffset? PassesAt,
    bool? SupportCanHelp)
{
    /// <summary>
    /// The reasons as a given caller may see them: a shop the caller does not act for is not named (another
    /// tenant's data), only said to be "another shop".
    /// </summary>
    public static ReasonView[] For(Decision decision, Language lang, Principal viewer) =>
        decision.Reasons.Select(r => From(Redact(r, viewer), lang)).ToArray();

    private static Reason Redact(Reason r, Principal viewer)
    {
        if (r.Args is null || !r.Args.TryGetValue("shopId", out var shopId) || viewer.ActsForShop(shopId))
        {
            return r;
        }
        var args = r.Args.Where(a => a.Key != "shopId").ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return r with { Code = r.Code + "_elsewhere", Args = args };
    }

    public static ReasonView From(Reason r, Language lang) => new(
        r.Rule,
        r.Code,
        r.Message(lang),
        new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = r.Message(Language.En), ["zh-CN"] = r.Message(Language.ZhCn) },
        r.PassesAt,
        r.SupportCanHelp);
}

public sealed record ShopView(
    string Id, string Name, string PolicyId, string Country, string MerchantType, string Kind,
    DateTimeOffset? ProbationEndsAt, string Status, bool EcommercePermission, DateTimeOffset CreatedAt,
    string? MainAccountId, string? PaymentAccount, DateTimeOffset? ClosureNoticeAt, DateTimeOffset? ClosesAt)
{
    public static ShopView From(ShopRow s) => new(s.Id, s.Name, s.PolicyId, s.Country, Wire.Name(s.MerchantType), Wire.Name(s.Kind),
        s.ProbationEndsAt, Wire.Name(s.Status), s.EcommercePermission, s.CreatedAt, s.MainAccountId, s.PaymentAccount, s.ClosureNoticeAt, s.ClosesAt);
}

public sealed record AccountView(
    string Id, string Handle, string Origin, string RegistrationCountry, string BirthDate, string Status, DateTimeOffset CreatedAt,
    string Type, bool RealNameVerified, string? Phone, bool HasFormalPaymentAccount, DateTimeOffset? DeletedAt, DateTimeOffset? BindingsEndAt,
    DateTimeOffset? CertifiedUntil = null)
{
    public static AccountView From(AccountRow a) => new(a.Id, a.Handle, Wire.Name(a.Origin), a.RegistrationCountry,
        a.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Wire.Name(a.Status), a.CreatedAt,
        Wire.Name(a.Type), a.RealNameVerified, MaskPhone(a.Phone), a.HasFormalPaymentAccount, a.DeletedAt, a.BindingsEndAt,
        a.CertifiedUntil);

    /// <summary>Only the last four digits are ever shown (the number is personal data; codes go to it, not to readers).</summary>
    public static string? MaskPhone(string? phone) =>
        phone is null ? null : phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];
}

/// <summary>Z-1: whose move it is, by when, and what happens if nobody moves.</summary>
public sealed record WaitingOn(string Party, string Id, DateTimeOffset DueAt, string OnTimeout);

/// <summary>TS-B4: what the role may do with the shop's products.</summary>
public sealed record ProductAccess(bool SyncAutomatically, bool AddByHand);

public sealed record UnlinkRequestView(
    string Id, string BindingId, string ShopId, string AccountId, string State, string? Reason,
    DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset AutoApproveAt,
    DateTimeOffset? DecidedAt, string? DecidedBy, string? Note, WaitingOn? WaitingOn)
{
    public static UnlinkRequestView From(UnlinkRequestRow u) => new(u.Id, u.BindingId, u.ShopId, u.AccountId, Wire.Name(u.State), u.Reason,
        u.RequestedAt, u.RequestedBy, u.AutoApproveAt, u.DecidedAt, u.DecidedBy, u.DecisionNote,
        u.State == UnlinkState.Pending ? new WaitingOn("shop", u.ShopId, u.AutoApproveAt, "auto_approve") : null);
}

public sealed record BindingView(
    string Id, string ShopId, string AccountId, string Role, string State,
    DateTimeOffset InvitedAt, string InvitedBy, DateTimeOffset ExpiresAt, DateTimeOffset? AnsweredAt,
    DateTimeOffset? ActivatedAt, DateTimeOffset? EndedAt, string? EndedBy, string? EndReason,
    ProductAccess Products, WaitingOn? WaitingOn, UnlinkRequestView? UnlinkRequest,
    IReadOnlyList<ReasonView>? PendingBecause, string? ReplacesBindingId)
{
    public static BindingView From(BindingRow b, Policy policy, UnlinkRequestRow? pendingUnlink = null, IReadOnlyList<ReasonView>? pendingBecause = null)
    {
        var traits = policy.Traits(b.Role);
        var unlink = pendingUnlink is null ? null : UnlinkRequestView.From(pendingUnlink);
        var waiting = b.State == BindingState.Invited ? new WaitingOn("account", b.AccountId, b.ExpiresAt, "expire") : unlink?.WaitingOn;
        return new BindingView(b.Id, b.ShopId, b.AccountId, Wire.Name(b.Role), Wire.Name(b.State), b.InvitedAt, b.InvitedBy, b.ExpiresAt,
            b.AnsweredAt, b.ActivatedAt, b.EndedAt, b.EndedBy, b.EndReason,
            new ProductAccess(traits.ProductsSyncAutomatically, traits.MayAddProductsByHand), waiting, unlink, pendingBecause, b.ReplacesBindingId);
    }
}

public sealed record CheckView(bool Allowed, string Action, IReadOnlyList<ReasonView> Reasons, DateTimeOffset? PassesAt, DateTimeOffset EvaluatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] SaleView? Sale = null)
{
    /// <summary>Z-4: what the action will do besides itself (a binding it ends, a quota it spends).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EffectView>? Effects { get; init; }
}

/// <summary>One consequence of an action: <c>ends_binding</c> (subject = binding id) or <c>spends_quota</c> (subject = quota name).</summary>
public sealed record EffectView(string Kind, string Subject, string? Rule, int? Spends, int? RemainingAfter, string Message);

/// <summary>DY-O4: the terms of a sale; a null rate means the product's own commission plan.</summary>
public sealed record SaleView(decimal? CommissionRate, string? BoundRole, string? BindingId, string? Rule, string Explanation);

public sealed record QuotaView(string Name, string Rule, int Used, int? Limit, int? Remaining, string Window, DateTimeOffset? NextSlotAt, string Message);

public sealed record QuotasView(string ShopId, string PolicyId, DateTimeOffset AsOf, bool OnProbation, DateTimeOffset? ProbationEndsAt, IReadOnlyList<QuotaView> Quotas);

/// <summary>
/// One pending thing (Z-1): an invitation, an unlink request, a closure notice, an account deletion… with whose
/// move it is (party "account", "shop", "staff", or "platform" when only time will act) and by when.
/// </summary>
public sealed record InboxItem(
    string Kind, string Id, string? BindingId, string ShopId, string? AccountId, string? Role,
    WaitingOn WaitingOn, IReadOnlyList<ReasonView>? PendingBecause);

public sealed record InboxView(string Owner, DateTimeOffset AsOf, IReadOnlyList<InboxItem> Items);

public sealed record HistoryView(
    long Seq, DateTimeOffset At, string Actor, string? OnBehalfOf, string? ClientAddress, string? ShopId, string? AccountId,
    string SubjectType, string SubjectId, string Action, JsonElement? Before, JsonElement? After)
{
    public static HistoryView From(HistoryRow h) => new(h.Seq, h.At, h.Actor, h.OnBehalfOf, h.ClientAddress, h.ShopId, h.AccountId,
        h.SubjectType, h.SubjectId, h.Action, Parse(h.Before), Parse(h.After));

    internal static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

public sealed record EventView(long Seq, DateTimeOffset At, string Type, string? ShopId, string? AccountId, string SubjectId, JsonElement Data)
{
    public static EventView From(EventRow e) => new(e.Seq, e.At, e.Type, e.ShopId, e.AccountId, e.SubjectId, HistoryView.Parse(e.Data)!.Value);
}

public sealed record Page<T>(IReadOnlyList<T> Items, long? Next);

public sealed record AsOfView(string AccountId, DateTimeOffset AsOf, AsOfBinding? Binding);

public sealed record AsOfBinding(string BindingId, string ShopId, string Role, DateTimeOffset From, DateTimeOffset? To);
