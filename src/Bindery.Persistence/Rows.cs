using Bindery.Domain;

namespace Bindery.Persistence;

public sealed class ShopRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string PolicyId { get; set; }
    public required string Country { get; set; }
    public MerchantType MerchantType { get; set; }
    public ShopKind Kind { get; set; }
    public DateTimeOffset? ProbationEndsAt { get; set; }
    public ShopStatus Status { get; set; }
    public bool EcommercePermission { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>DY-M1: the shop's one main account.</summary>
    public string? MainAccountId { get; set; }

    /// <summary>DY-O1: where the shop's income settles.</summary>
    public string? PaymentAccount { get; set; }

    /// <summary>DY-L1: when the closure notice was published and when the shop closes.</summary>
    public DateTimeOffset? ClosureNoticeAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }

    public Shop ToDomain() => new(Id, PolicyId, new CountryCode(Country), MerchantType, Kind, ProbationEndsAt, Status, EcommercePermission);
}

public sealed class AccountRow
{
    public required string Id { get; set; }
    public required string Handle { get; set; }
    public AccountOrigin Origin { get; set; }
    public required string RegistrationCountry { get; set; }
    public DateOnly BirthDate { get; set; }
    public AccountStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public AccountType Type { get; set; }
    public bool RealNameVerified { get; set; }
    public string? Phone { get; set; }
    public bool HasFormalPaymentAccount { get; set; }

    /// <summary>DY-D1: a verified enterprise account's certification holds until this instant (null: no expiry recorded).</summary>
    public DateTimeOffset? CertifiedUntil { get; set; }

    /// <summary>DY-L2: when the account was deleted and when its bindings end.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public DateTimeOffset? BindingsEndAt { get; set; }

    public Account ToDomain() => new(Id, Origin, new CountryCode(RegistrationCountry), BirthDate, Status)
    {
        Type = Type,
        RealNameVerified = RealNameVerified,
        HasFormalPaymentAccount = HasFormalPaymentAccount,
        CertifiedUntil = CertifiedUntil,
    };
}

/// <summary>An invitation is a binding in state <see cref="BindingState.Invited"/>; the same row lives on.</summary>
public sealed class BindingRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public required string AccountId { get; set; }
    public BindingRole Role { get; set; }
    public BindingState State { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    public required string InvitedBy { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBy { get; set; }

    /// <summary>Why the binding ended: unlink_approved, unlink_auto_approved (these count as unbinds, TS-Q2), …</summary>
    public string? EndReason { get; set; }

    /// <summary>Z-4: the official binding this invitation replaces when it is accepted (an atomic swap).</summary>
    public string? ReplacesBindingId { get; set; }

    public Binding ToDomain() => new(Id, ShopId, AccountId, Role, State, InvitedAt, ExpiresAt, ActivatedAt, EndedAt);
}

public sealed class UnlinkRequestRow
{
    public required string Id { get; set; }
    public required string BindingId { get; set; }
    public required string ShopId { get; set; }
    public required string AccountId { get; set; }
    public UnlinkState State { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset AutoApproveAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionNote { get; set; }

    public UnlinkRequest ToDomain() => new(Id, BindingId, State, RequestedAt, AutoApproveAt);
}

/// <summary>X-1: append-only record of every change: who, for whom, when, from where, before and after.</summary>
public sealed class HistoryRow
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public string? OnBehalfOf { get; set; }
    public string? ClientAddress { get; set; }
    public string? ShopId { get; set; }
    public string? AccountId { get; set; }
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>X-2: the ordered event feed. Seq is gap-free because one writer appends in commit order.</summary>
public sealed class EventRow
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Type { get; set; }
    public string? ShopId { get; set; }
    public string? AccountId { get; set; }
    public required string SubjectId { get; set; }
    public required string Data { get; set; }

    /// <summary>X-2 webhooks: not yet fanned out into deliveries (the outbox marker, set in the event's own transaction).</summary>
    public bool FanoutPending { get; set; }
}

public sealed class TokenRow
{
    public required string Id { get; set; }
    public required string Hash { get; set; }
    public required string Kind { get; set; }
    public string? ShopId { get; set; }
    public string? AccountId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Z-3: the first answer to a request with an Idempotency-Key, replayed on retry.</summary>
public sealed class IdempotencyRow
{
    public required string Principal { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public required string Body { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class SettingRow
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>DY-M1..M4: one attempt to change a shop's main account, verified by a one-time code.</summary>
public sealed class MainAccountChangeRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public string? FromAccountId { get; set; }
    public required string ToAccountId { get; set; }
    public MainAccountChangeState State { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public required string StartedBy { get; set; }

    /// <summary>SHA-256 of salt + code; the code itself is never stored.</summary>
    public required string CodeHash { get; set; }
    public required string CodeSalt { get; set; }

    /// <summary>Where the current code was sent: the new account's phone, masked to its last four digits.</summary>
    public required string SentTo { get; set; }
    public DateTimeOffset CodeExpiresAt { get; set; }
    public DateTimeOffset WindowEndsAt { get; set; }
    public int WrongCodes { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    public MainAccountChange ToDomain() =>
        new(Id, ShopId, FromAccountId, ToAccountId, State, StartedAt, CodeExpiresAt, WindowEndsAt, WrongCodes, LockedUntil);
}

/// <summary>DY-M4: one wrong code entered for a change of the shop's main account (the lock counts them per shop).</summary>
public sealed class MainAccountWrongCodeRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public required string ChangeId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>DY-A1..A5: a merchant's application to end a binding, reviewed by staff.</summary>
public sealed class UnbindApplicationRow
{
    public required string Id { get; set; }
    public required string ShopId { get; set; }
    public required string BindingId { get; set; }
    public required string AccountId { get; set; }
    public required string Reason { get; set; }
    public string? ReasonText { get; set; }
    public required string ContactName { get; set; }
    public required string ContactPhone { get; set; }
    public ApplicationState State { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>DY-A4: the review is expected between these two instants (3 and 5 business days).</summary>
    public DateTimeOffset EarliestDueAt { get; set; }
    public DateTimeOffset DueAt { get; set; }

    /// <summary>DY-A4: when the application was recorded as overdue (its due instant), once; null until then.</summary>
    public DateTimeOffset? OverdueAt { get; set; }
    public DateTimeOffset? ReviewStartedAt { get; set; }
    public string? Reviewer { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionReason { get; set; }
}

/// <summary>DY-A5: an evidence file; the bytes live on disk under the evidence folder, named by id.</summary>
public sealed class EvidenceFileRow
{
    public required string Id { get; set; }
    public required string ApplicationId { get; set; }
    public required string ShopId { get; set; }
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string StoragePath { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string UploadedBy { get; set; }
}

/// <summary>DY-D1..D4: a main account authorizes a sub account to act for it with a set of permissions.</summary>
public sealed class DelegationRow
{
    public required string Id { get; set; }
    public required string MainAccountId { get; set; }
    public required string SubAccountId { get; set; }

    /// <summary>Space-separated permission names (e.g. "bindings.view invitations.manage").</summary>
    public required string Permissions { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>DY-D3: only support staff revoke; certification lapses do not.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokeReason { get; set; }
}

/// <summary>A username and password for cookie sign-in, mapped to a principal. Only a PBKDF2 hash of the password is stored.</summary>
public sealed class LoginRow
{
    public required string Id { get; set; }

    /// <summary>Lower-case, unique.</summary>
    public required string Username { get; set; }

    /// <summary>"pbkdf2-sha512$iterations$salt$hash" (base64).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>admin, reviewer, support, merchant, creator or sub (as tokens).</summary>
    public required string Kind { get; set; }
    public string? ShopId { get; set; }
    public string? AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}
