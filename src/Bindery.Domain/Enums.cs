namespace Bindery.Domain;

/// <summary>How the shop was admitted; decides role capacity (TS-B1, TS-B2).</summary>
public enum MerchantType { Regular, Invited }

/// <summary>The legal kind of the shop; decides probation limits (TS-Q5).</summary>
public enum ShopKind { Individual, Business }

public enum ShopStatus { Normal, Restricted, Closing, Closed }

public enum AccountOrigin { TikTok, Douyin, Toutiao, Xigua, Huoshan }

public enum AccountStatus { Normal, Restricted, Banned, Deleting }

public enum BindingRole { Official, Channel }

/// <summary>
/// Lifecycle of a binding. Invited → Active → UnlinkRequested → Ended; an invitation may instead end as
/// Declined, Cancelled or Expired. Live states (Invited, Active, UnlinkRequested) hold the account (TS-B3).
/// </summary>
public enum BindingState { Invited, Active, UnlinkRequested, Ended, Declined, Cancelled, Expired }

public enum UnlinkState { Pending, Approved, Rejected, AutoApproved }

/// <summary>Everything a caller can ask the engine to decide.</summary>
public enum BindingAction { Invite, Accept, Decline, Cancel, RequestUnlink, ApproveUnlink, RejectUnlink }

/// <summary>Whose move a pending item waits for (Z-1).</summary>
public enum Party { Shop, Account, Staff }
