namespace Bindery.Domain;

/// <summary>
/// One rule of the spec (shared/spec/domain.md), declared once in <see cref="RuleCatalog"/>. Invariant: <see cref="Id"/>
/// is the spec id shown in denials; <see cref="PolicyKeys"/> are the policy <c>ruleIds</c> keys a policy may map to this
/// rule (each a key of <see cref="RuleCatalog.Keys"/>); <see cref="MessageKeys"/> are the reason codes its denials use
/// (each a code of <see cref="Messages"/>).
/// </summary>
public sealed class RuleEntry
{
    internal RuleEntry(string id, string summary, string[]? policyKeys = null, string[]? messageKeys = null)
    {
        Id = id;
        Summary = summary;
        PolicyKeys = policyKeys ?? [];
        MessageKeys = messageKeys ?? [];
    }

    public string Id { get; }

    /// <summary>What the rule says, in a few words (for people reading code and tools, not for end users).</summary>
    public string Summary { get; }

    public IReadOnlyList<string> PolicyKeys { get; }
    public IReadOnlyList<string> MessageKeys { get; }

    public bool Governs(string key) => PolicyKeys.Contains(key, StringComparer.Ordinal);

    public override string ToString() => Id;
}

/// <summary>
/// The engine's rule keys: the names under which the engine asks a policy which spec rule it is applying (a policy
/// file's <c>ruleIds</c> maps some of them to its own rules; <see cref="RuleCatalog.DefaultFor"/> answers the rest).
/// </summary>
public static class RuleKeys
{
    public const string ShopStatus = "shopStatus";
    public const string Origin = "origin";
    public const string FormalPaymentAccount = "formalPaymentAccount";
    public const string AccountStatus = "accountStatus";
    public const string Age = "age";
    public const string AccountCountry = "accountCountry";
    public const string CallerCountry = "callerCountry";
    public const string OneShopPerAccount = "oneShopPerAccount";
    public const string Probation = "probation";
    public const string ChannelBindQuota = "channelBindQuota";
    public const string InvitationExpiry = "invitationExpiry";
    public const string InvitationAnswer = "invitationAnswer";
    public const string UnlinkRequest = "unlinkRequest";
    public const string OfficialUnbinds = "officialUnbinds";

    /// <summary>TS-B1 / TS-B2 (DY-B2, DY-B6, DY-B3 under Douyin): <c>capacity.{merchantType}.{role}</c>.</summary>
    public static string Capacity(MerchantType type, BindingRole role) => $"capacity.{Wire.Name(type)}.{Wire.Name(role)}";

    /// <summary>How a role's binding is undone: <c>unbindMethod.{role}</c>.</summary>
    public static string UnbindMethod(BindingRole role) => $"unbindMethod.{Wire.Name(role)}";

    /// <summary>How long a role's binding must have been active before it is undone: <c>unbindDelay.{role}</c>.</summary>
    public static string UnbindDelay(BindingRole role) => $"unbindDelay.{Wire.Name(role)}";
}

/// <summary>
/// Every rule of the spec, each declared once: its spec id, the policy <c>ruleIds</c> keys it may govern and the
/// message keys its reasons use. Code names a rule through its entry here, never by a literal id; policy files are
/// validated against it when parsed (<see cref="PolicyParser"/>), and <see cref="Policy.Rule"/> resolves a key to
/// the policy's own rule or the default declared here.
/// </summary>
public static class RuleCatalog
{
    private static readonly string[] Roles = ["official", "channel", "showcase"];


    // TikTok Shop (seed 004).
    public static readonly RuleEntry RegularCapacity = new("TS-B1", "regular merchant: 1 official, 0 channel",
        ["capacity.regular.official", "capacity.regular.channel"], ["capacity_full"]);
    public static readonly RuleEntry InvitedCapacity = new("TS-B2", "invited merchant: 1 official + 4 channel",
        ["capacity.invited.official", "capacity.invited.channel"], ["capacity_full"]);
    public static readonly RuleEntry OneShopPerAccount = new("TS-B3", "an account is bound to one shop at a time; pending invitations count",
        [RuleKeys.OneShopPerAccount], ["account_already_bound", "account_already_bound_elsewhere"]);
    public static readonly RuleEntry ProductSync = new("TS-B4", "official syncs products automatically; channel adds by hand");
    public static readonly RuleEntry AccountStatus = new("TS-E1", "the account status is normal",
        [RuleKeys.AccountStatus], ["account_not_normal"]);
    public static readonly RuleEntry Age = new("TS-E2", "the account holder is at least the minimum age",
        [RuleKeys.Age], ["account_under_age"]);
    public static readonly RuleEntry AccountCountry = new("TS-E3", "registration country equals the shop's country",
        [RuleKeys.AccountCountry], ["account_country_mismatch"]);
    public static readonly RuleEntry CallerCountry = new("TS-E4", "the caller's network country equals the shop's country",
        [RuleKeys.CallerCountry], ["caller_country_unknown", "caller_country_mismatch"]);
    public static readonly RuleEntry ShopStatus = new("TS-E5", "the shop's status is normal and it has e-commerce permission",
        [RuleKeys.ShopStatus], ["shop_not_normal", "shop_ecommerce_revoked"]);
    public static readonly RuleEntry NotHeldElsewhere = new("TS-E6", "the account is not bound or invited elsewhere (TS-B3)",
        [RuleKeys.OneShopPerAccount], ["account_already_bound"]);
    public static readonly RuleEntry SupportCorrection = new("TS-E7", "what support can and cannot correct",
        messageKeys: ["support_cannot_fix_status", "support_cannot_fix_country", "correction_changes_nothing"]);
    public static readonly RuleEntry InvitationExpiry = new("TS-I1", "an invitation expires unanswered after its time to live",
        [RuleKeys.InvitationExpiry], ["invitation_expired"]);
    public static readonly RuleEntry InvitationAnswer = new("TS-I2", "only an unanswered invitation is declined or cancelled",
        [RuleKeys.InvitationAnswer], ["invitation_not_pending"]);
    public static readonly RuleEntry PendingExplained = new("TS-I3", "a binding that stays pending is explained");
    public static readonly RuleEntry UnbindDelay = new("TS-Q1", "undone only a minimum time after activation",
        [.. Roles.Select(r => $"unbindDelay.{r}")], ["unbind_too_early"]);
    public static readonly RuleEntry OfficialUnbinds = new("TS-Q2", "official unbinds per shop lifetime",
        [RuleKeys.OfficialUnbinds], ["official_unbinds_used"]);
    public static readonly RuleEntry ChannelBindQuota = new("TS-Q3", "channel binds per rolling window",
        [RuleKeys.ChannelBindQuota], ["channel_bind_quota_used"]);
    public static readonly RuleEntry QuotaForecast = new("TS-Q4", "quota left and the next free slot, before acting");
    public static readonly RuleEntry Probation = new("TS-Q5", "lower capacity while the shop is on probation",
        [RuleKeys.Probation], ["probation_capacity_full"]);
    public static readonly RuleEntry UnlinkRequest = new("TS-U1", "the creator requests an unlink; the shop answers it",
        [RuleKeys.UnlinkRequest, .. Roles.Select(r => $"unbindMethod.{r}")],
        ["binding_not_active", "unlink_not_pending", "unbind_by_unlink_request", "unbind_by_owner_confirmed", "unbind_by_application"]);
    public static readonly RuleEntry FreeAfterUnbind = new("TS-U2", "after unbinding both sides may bind again");
    public static readonly RuleEntry UnbindKeepsHistory = new("TS-U3", "unbinding deletes nothing");
    public static readonly RuleEntry UnlinkAutoApprove = new("TS-U4", "an unanswered unlink request is approved after a period");

    // Douyin (seeds 000-003).
    public static readonly RuleEntry OneShopPerDouyinAccount = new("DY-B1", "a Douyin account is bound to one merchant shop",
        [RuleKeys.OneShopPerAccount], ["account_already_bound", "account_already_bound_elsewhere"]);
    public static readonly RuleEntry OneOfficialPerShop = new("DY-B2", "a shop has at most one official account",
        ["capacity.regular.official", "capacity.invited.official"], ["capacity_full"]);
    public static readonly RuleEntry ShowcaseBinding = new("DY-B3", "a showcase binding, undone by the owner after a confirmation",
        ["capacity.regular.showcase", "capacity.invited.showcase", "unbindMethod.showcase", "unbindDelay.showcase"],
        ["capacity_full", "unbind_by_owner_confirmed"]);
    public static readonly RuleEntry Origin = new("DY-B4", "only accounts of an allowed origin bind",
        [RuleKeys.Origin], ["origin_not_allowed"]);
    public static readonly RuleEntry FormalPaymentAccount = new("DY-B5", "a formal payment account cannot become official",
        [RuleKeys.FormalPaymentAccount], ["formal_payment_account"]);
    public static readonly RuleEntry ChannelAccounts = new("DY-B6", "channel accounts: capacity and minimum tenure",
        ["capacity.regular.channel", "capacity.invited.channel", "unbindDelay.channel", "unbindMethod.channel"],
        ["capacity_full", "unbind_too_early", "unbind_by_unlink_request"]);
    public static readonly RuleEntry OfficialSettlement = new("DY-O1", "the official account's income settles to the shop");
    public static readonly RuleEntry OfficialUndone = new("DY-O2", "the official binding is undone only by application, closure or deletion",
        ["unbindMethod.official", "unbindDelay.official"], ["unbind_by_application"]);
    public static readonly RuleEntry EnterpriseUpgrade = new("DY-O3", "binding as official upgrades the account to enterprise");
    public static readonly RuleEntry ZeroCommission = new("DY-O4", "bound accounts sell the shop's products at zero commission");
    public static readonly RuleEntry OneMainAccount = new("DY-M1", "one main account, changed never edited",
        messageKeys: ["main_account_same", "main_account_change_open"]);
    public static readonly RuleEntry MainAccountVerification = new("DY-M2", "the new main account is verified by a one-time code",
        messageKeys: ["main_account_code_expired", "main_account_change_window_passed", "main_account_change_not_pending",
            "main_account_candidate_not_found", "main_account_candidate_not_normal", "main_account_candidate_not_verified",
            "main_account_candidate_no_phone"]);
    public static readonly RuleEntry MainAccountFrequency = new("DY-M3", "waiting period and changes per period",
        messageKeys: ["main_account_waiting_period", "main_account_changes_used"]);
    public static readonly RuleEntry MainAccountWrongCodes = new("DY-M4", "wrong codes fail; repeated wrong codes lock",
        messageKeys: ["main_account_wrong_code", "main_account_change_locked"]);
    public static readonly RuleEntry ApplicationFiling = new("DY-A1", "an unbind application's reason, contact and evidence",
        messageKeys: ["application_reason_unknown", "application_reason_text_required", "application_reason_text_too_long",
            "application_evidence_missing", "application_contact_name_invalid", "application_contact_phone_invalid"]);
    public static readonly RuleEntry ApplicationStates = new("DY-A2", "submitted, under review, approved or rejected",
        messageKeys: ["application_open_exists", "application_withdraw_in_review", "application_closed", "application_not_submitted",
            "application_not_under_review", "application_binding_not_active"]);
    public static readonly RuleEntry ApplicationFrozenInReview = new("DY-A3", "no edits while under review",
        messageKeys: ["application_under_review"]);
    public static readonly RuleEntry ApplicationReviewDue = new("DY-A4", "review due in business days; overdue flagged");
    public static readonly RuleEntry ApplicationEvidence = new("DY-A5", "evidence size, type, hash and visibility",
        messageKeys: ["evidence_kind_unknown", "evidence_too_many", "evidence_type_not_allowed", "evidence_too_large"]);
    public static readonly RuleEntry DelegationParties = new("DY-D1", "both parties are certified enterprise accounts in normal status",
        messageKeys: ["agent_not_normal", "agent_not_enterprise", "delegation_party_not_enterprise", "delegation_party_certification_expired",
            "delegation_party_not_normal"]);
    public static readonly RuleEntry DelegationManyToMany = new("DY-D2", "many mains per sub and many subs per main");
    public static readonly RuleEntry DelegationSurvivesRenewal = new("DY-D3", "authorization outlives certification expiry; support revokes");
    public static readonly RuleEntry SubAccountPermissions = new("DY-D4", "a sub acts for the main with a subset of permissions",
        messageKeys: ["agent_is_main_account", "permission_owner_not_delegable", "permission_finance_not_delegable"]);
    public static readonly RuleEntry ChatRouting = new("DY-D5", "customer chats routed among customer-service sub-accounts");
    public static readonly RuleEntry ShopClosure = new("DY-L1", "a closing shop's notice; then every binding ends",
        [RuleKeys.ShopStatus], ["shop_not_normal", "shop_ecommerce_revoked"]);
    public static readonly RuleEntry AccountDeletion = new("DY-L2", "a deleted account's bindings end after a delay");
    public static readonly RuleEntry UnbindKeepsShopData = new("DY-L3", "unbinding never deletes shop data");

    // Both presets, and beyond the platforms.
    public static readonly RuleEntry Audit = new("X-1", "every change is recorded in an append-only history");
    public static readonly RuleEntry Notifications = new("X-2", "each state change produces an event");
    public static readonly RuleEntry SupportTickets = new("X-3", "support tickets about a failed or pending binding",
        messageKeys: ["ticket_closed"]);
    public static readonly RuleEntry Explain = new("X-4", "a dry-run check lists every failing rule");
    public static readonly RuleEntry Time = new("X-5", "one clock; a test clock in demo and test mode");
    public static readonly RuleEntry AsOfHistory = new("X-6", "which shop held an account at time T");
    public static readonly RuleEntry WhoActsByWhen = new("Z-1", "every pending thing says who must act and by when");
    public static readonly RuleEntry QuotaCounters = new("Z-2", "quota counters in the API and the console");
    public static readonly RuleEntry BulkOperations = new("Z-3", "bulk operations, idempotent under a key");
    public static readonly RuleEntry AtomicSwap = new("Z-4", "replace the official account in one operation");
    public static readonly RuleEntry HistoryAsData = new("Z-5", "binding history as exportable intervals");

    /// <summary>Every rule, in spec order.</summary>
    public static IReadOnlyList<RuleEntry> All { get; } =
    [
        RegularCapacity, InvitedCapacity, OneShopPerAccount, ProductSync,
        AccountStatus, Age, AccountCountry, CallerCountry, ShopStatus, NotHeldElsewhere, SupportCorrection,
        InvitationExpiry, InvitationAnswer, PendingExplained,
        UnbindDelay, OfficialUnbinds, ChannelBindQuota, QuotaForecast, Probation,
        UnlinkRequest, FreeAfterUnbind, UnbindKeepsHistory, UnlinkAutoApprove,
        OneShopPerDouyinAccount, OneOfficialPerShop, ShowcaseBinding, Origin, FormalPaymentAccount, ChannelAccounts,
        OfficialSettlement, OfficialUndone, EnterpriseUpgrade, ZeroCommission,
        OneMainAccount, MainAccountVerification, MainAccountFrequency, MainAccountWrongCodes,
        ApplicationFiling, ApplicationStates, ApplicationFrozenInReview, ApplicationReviewDue, ApplicationEvidence,
        DelegationParties, DelegationManyToMany, DelegationSurvivesRenewal, SubAccountPermissions, ChatRouting,
        ShopClosure, AccountDeletion, UnbindKeepsShopData,
        Audit, Notifications, SupportTickets, Explain, Time, AsOfHistory,
        WhoActsByWhen, QuotaCounters, BulkOperations, AtomicSwap, HistoryAsData,
    ];

    private static readonly Dictionary<string, RuleEntry> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>
    /// Every key the engine asks a policy, with the rule that governs it when the policy maps it to nothing: the
    /// TikTok Shop rule where the spec has one, else the only rule that governs it.
    /// </summary>
    private static readonly Dictionary<string, RuleEntry> Defaults = new(StringComparer.Ordinal)
    {
        [RuleKeys.ShopStatus] = ShopStatus,
        [RuleKeys.Origin] = Origin,
        [RuleKeys.FormalPaymentAccount] = FormalPaymentAccount,
        [RuleKeys.AccountStatus] = AccountStatus,
        [RuleKeys.Age] = Age,
        [RuleKeys.AccountCountry] = AccountCountry,
        [RuleKeys.CallerCountry] = CallerCountry,
        [RuleKeys.OneShopPerAccount] = OneShopPerAccount,
        [RuleKeys.Probation] = Probation,
        [RuleKeys.ChannelBindQuota] = ChannelBindQuota,
        [RuleKeys.InvitationExpiry] = InvitationExpiry,
        [RuleKeys.InvitationAnswer] = InvitationAnswer,
        [RuleKeys.UnlinkRequest] = UnlinkRequest,
        [RuleKeys.OfficialUnbinds] = OfficialUnbinds,
        ["capacity.regular.official"] = RegularCapacity,
        ["capacity.regular.channel"] = RegularCapacity,
        ["capacity.invited.official"] = InvitedCapacity,
        ["capacity.invited.channel"] = InvitedCapacity,
        // TikTok Shop has no showcase role; a policy that offers one is governed by the showcase rule (DY-B3).
        ["capacity.regular.showcase"] = ShowcaseBinding,
        ["capacity.invited.showcase"] = ShowcaseBinding,
        ["unbindMethod.official"] = UnlinkRequest,
        ["unbindMethod.channel"] = UnlinkRequest,
        ["unbindMethod.showcase"] = ShowcaseBinding,
        ["unbindDelay.official"] = UnbindDelay,
        ["unbindDelay.channel"] = UnbindDelay,
        ["unbindDelay.showcase"] = ShowcaseBinding,
    };

    /// <summary>Every rule key the engine can ask a policy, in a stable order.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Defaults.Keys.Order(StringComparer.Ordinal)];

    public static bool IsKey(string key) => Defaults.ContainsKey(key);

    /// <summary>The rule with this spec id, or null.</summary>
    public static RuleEntry? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The rule that governs a key when a policy maps it to nothing.</summary>
    /// <exception cref="ArgumentException">The key is not one the engine asks (a programming error).</exception>
    public static RuleEntry DefaultFor(string key) =>
        Defaults.TryGetValue(key, out var rule) ? rule : throw new ArgumentException($"'{key}' is not a rule key of the catalog", nameof(key));

    /// <summary>
    /// Why a policy's <c>ruleIds</c> entry cannot be used, or null when it can: the key is one the engine asks, the id
    /// is a rule of the catalog, and that rule governs the key.
    /// </summary>
    public static string? Problem(string key, string id)
    {
        if (!IsKey(key))
        {
            return $"unknown rule key; known keys: {string.Join(", ", Keys)}";
        }
        if (Find(id) is not { } rule)
        {
            return $"\"{id}\" is not a rule id of the spec";
        }
        if (!rule.Governs(key))
        {
            var governing = All.Where(r => r.Governs(key)).Select(r => r.Id);
            return $"{id} does not govern \"{key}\"; rules that do: {string.Join(", ", governing)}";
        }
        return null;
    }
}
