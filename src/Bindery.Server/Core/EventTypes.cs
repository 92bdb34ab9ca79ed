namespace Bindery.Server.Core;

/// <summary>
/// Every event type Bindery emits (the <c>type</c> of an event in the feed, the export and webhook deliveries),
/// declared once. Each <see cref="WriteContext.Emit"/> call names one of these; a test scans the source so that no
/// call site passes a string literal, and checks <see cref="All"/> has no duplicates.
/// </summary>
public static class EventTypes
{
    public const string AccountCorrected = "account.corrected";
    public const string AccountCreated = "account.created";
    public const string AccountDeleted = "account.deleted";
    public const string AccountUpdated = "account.updated";
    public const string AccountUpgraded = "account.upgraded";

    public const string BindingActivated = "binding.activated";
    public const string BindingEnded = "binding.ended";

    public const string ChatAgentRegistered = "chat_agent.registered";
    public const string ChatAgentStatusChanged = "chat_agent.status_changed";

    public const string ClockAdvanced = "clock.advanced";

    public const string ConversationAssigned = "conversation.assigned";
    public const string ConversationClosed = "conversation.closed";
    public const string ConversationQueued = "conversation.queued";
    public const string ConversationReassigned = "conversation.reassigned";
    public const string ConversationRequeued = "conversation.requeued";

    public const string DelegationAuthorized = "delegation.authorized";
    public const string DelegationRevoked = "delegation.revoked";

    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationCancelled = "invitation.cancelled";
    public const string InvitationDeclined = "invitation.declined";
    public const string InvitationExpired = "invitation.expired";
    public const string InvitationSent = "invitation.sent";

    public const string MainAccountChanged = "main_account.changed";

    public const string MainAccountChangeCancelled = "main_account_change.cancelled";
    public const string MainAccountChangeCodeResent = "main_account_change.code_resent";
    public const string MainAccountChangeDemoCode = "main_account_change.demo_code";
    public const string MainAccountChangeExpired = "main_account_change.expired";
    public const string MainAccountChangeLocked = "main_account_change.locked";
    public const string MainAccountChangeStarted = "main_account_change.started";
    public const string MainAccountChangeWrongCode = "main_account_change.wrong_code";

    public const string OfficialAccountSwapped = "official_account.swapped";

    public const string ShopClosed = "shop.closed";
    public const string ShopClosureCancelled = "shop.closure_cancelled";
    public const string ShopClosureNotice = "shop.closure_notice";
    public const string ShopCreated = "shop.created";
    public const string ShopUpdated = "shop.updated";

    public const string SupportTicketAccountCorrected = "support_ticket.account_corrected";
    public const string SupportTicketClosed = "support_ticket.closed";
    public const string SupportTicketOpened = "support_ticket.opened";
    public const string SupportTicketReplied = "support_ticket.replied";

    public const string UnbindApplicationApproved = "unbind_application.approved";
    public const string UnbindApplicationEvidenceAdded = "unbind_application.evidence_added";
    public const string UnbindApplicationOverdue = "unbind_application.overdue";
    public const string UnbindApplicationRejected = "unbind_application.rejected";
    public const string UnbindApplicationReviewStarted = "unbind_application.review_started";
    public const string UnbindApplicationSubmitted = "unbind_application.submitted";
    public const string UnbindApplicationUpdated = "unbind_application.updated";
    public const string UnbindApplicationWithdrawn = "unbind_application.withdrawn";

    public const string UnlinkRequestApproved = "unlink_request.approved";
    public const string UnlinkRequestAutoApproved = "unlink_request.auto_approved";
    public const string UnlinkRequestCreated = "unlink_request.created";
    public const string UnlinkRequestRejected = "unlink_request.rejected";

    /// <summary>Every event type, in order by name.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        AccountCorrected,
        AccountCreated,
        AccountDeleted,
        AccountUpdated,
        AccountUpgraded,
        BindingActivated,
        BindingEnded,
        ChatAgentRegistered,
        ChatAgentStatusChanged,
        ClockAdvanced,
        ConversationAssigned,
        ConversationClosed,
        ConversationQueued,
        ConversationReassigned,
        ConversationRequeued,
        DelegationAuthorized,
        DelegationRevoked,
        InvitationAccepted,
        InvitationCancelled,
        InvitationDeclined,
        InvitationExpired,
        InvitationSent,
        MainAccountChanged,
        MainAccountChangeCancelled,
        MainAccountChangeCodeResent,
        MainAccountChangeDemoCode,
        MainAccountChangeExpired,
        MainAccountChangeLocked,
        MainAccountChangeStarted,
        MainAccountChangeWrongCode,
        OfficialAccountSwapped,
        ShopClosed,
        ShopClosureCancelled,
        ShopClosureNotice,
        ShopCreated,
        ShopUpdated,
        SupportTicketAccountCorrected,
        SupportTicketClosed,
        SupportTicketOpened,
        SupportTicketReplied,
        UnbindApplicationApproved,
        UnbindApplicationEvidenceAdded,
        UnbindApplicationOverdue,
        UnbindApplicationRejected,
        UnbindApplicationReviewStarted,
        UnbindApplicationSubmitted,
        UnbindApplicationUpdated,
        UnbindApplicationWithdrawn,
        UnlinkRequestApproved,
        UnlinkRequestAutoApproved,
        UnlinkRequestCreated,
        UnlinkRequestRejected,
    ];
}
