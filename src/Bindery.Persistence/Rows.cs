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

    public Account ToDomain() => new(Id, Origin, new CountryCode(RegistrationCountry), BirthDate, Status);
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
