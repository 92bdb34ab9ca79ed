namespace Bindery.Domain;

/// <summary>How the shop was admitted; decides role capacity (TS-B1, TS-B2).</summary>
public enum MerchantType { Regular, Invited }

/// <summary>
/// The legal kind of the shop: decides probation limits (TS-Q5: individual vs the rest) and the enterprise upgrade of
/// a bound account (DY-O3: individual-business and enterprise shops).
/// </summary>
public enum ShopKind { Individual, Business, IndividualBusiness, Enterprise }

/// <summary>The kind of a creator account (DY-O3, DY-D1).</summary>
public enum AccountType { Personal, Enterprise, VerifiedEnterprise }

/// <summary>How a role's binding is undone (DY-O2, DY-B3, TS-U1).</summary>
public enum UnbindMethod
{
    /// <summary>The account asks, the shop approves or rejects (TS-U1).</summary>
    UnlinkRequest,

    /// <summary>The account owner undoes it at once after an explicit confirmation (DY-B3).</summary>
    OwnerConfirmed,

    /// <summary>Neither side can; only an approved unbind application, a shop closure or an account deletion (DY-O2).</summary>
    Application,
}

public enum ShopStatus { Normal, Restricted, Closing, Closed }

public enum AccountOrigin { [WireName("tiktok")] TikTok, Douyin, Toutiao, Xigua, Huoshan }

public enum AccountStatus { Normal, Restricted, Banned, Deleting }

public enum BindingRole { Official, Channel, Showcase }

/// <summary>
/// Lifecycle of a binding. Invited → Active → UnlinkRequested → Ended; an invitation may instead end as
/// Declined, Cancelled or Expired. Live states (Invited, Active, UnlinkRequested) hold the account (TS-B3).
/// </summary>
public enum BindingState { Invited, Active, UnlinkRequested, Ended, Declined, Cancelled, Expired }

/// <summary>Cancelled: the binding ended another way first (shop closure, account deletion, approved application).</summary>
public enum UnlinkState { Pending, Approved, Rejected, AutoApproved, Cancelled }

/// <summary>Everything a caller can ask the engine to decide.</summary>
public enum BindingAction { Invite, Accept, Decline, Cancel, RequestUnlink, ApproveUnlink, RejectUnlink, Unbind, ApplyUnbind }

/// <summary>Whose move a pending item waits for (Z-1).</summary>
public enum Party { Shop, Account, Staff }

/// <summary>DY-A2: submitted → under review → approved | rejected; a submitted application may be withdrawn.</summary>
public enum ApplicationState { Submitted, UnderReview, Approved, Rejected, Withdrawn }

/// <summary>DY-M2/M4: a main-account change waits for the code sent to the new account's phone.</summary>
public enum MainAccountChangeState { AwaitingCode, Completed, Expired, Locked, Cancelled }
