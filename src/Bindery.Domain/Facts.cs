namespace Bindery.Domain;

/// <summary>A merchant's store as the rules see it. Invariant: a probation end, when set, is an instant.</summary>
public sealed record Shop(
    string Id,
    string PolicyId,
    CountryCode Country,
    MerchantType MerchantType,
    ShopKind Kind,
    DateTimeOffset? ProbationEndsAt,
    ShopStatus Status,
    bool EcommercePermission)
{
    public bool OnProbation(DateTimeOffset now) => ProbationEndsAt is { } end && now < end;
}

/// <summary>A creator account as the rules see it.</summary>
public sealed record Account(
    string Id,
    AccountOrigin Origin,
    CountryCode RegistrationCountry,
    DateOnly BirthDate,
    AccountStatus Status)
{
    public AccountType Type { get; init; } = AccountType.Personal;

    /// <summary>DY-B5: an account upgraded to a formal payment account (正式收款账户).</summary>
    public bool HasFormalPaymentAccount { get; init; }

    /// <summary>DY-M2: real-name verification.</summary>
    public bool RealNameVerified { get; init; }

    /// <summary>DY-D1: a verified enterprise account's certification holds until this instant, exclusive (null: no expiry recorded).</summary>
    public DateTimeOffset? CertifiedUntil { get; init; }

    /// <summary>Age in whole years on the UTC calendar day of <paramref name="now"/>.</summary>
    public int AgeOn(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var age = today.Year - BirthDate.Year;
        if (BirthDate.AddYears(age) > today)
        {
            age--;
        }
        return age;
    }

    /// <summary>The first instant (00:00 UTC) at which the holder is <paramref name="years"/> old.</summary>
    public DateTimeOffset BirthdayInstant(int years) =>
        new(BirthDate.AddYears(years).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>
/// A shop–account relation with a role. Invariants: ExpiresAt = InvitedAt + the policy's invitation TTL;
/// ActivatedAt is set from Active on; EndedAt is set in every final state.
/// </summary>
public sealed record Binding(
    string Id,
    string ShopId,
    string AccountId,
    BindingRole Role,
    BindingState State,
    DateTimeOffset InvitedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? EndedAt)
{
    public bool IsLive => State is BindingState.Invited or BindingState.Active or BindingState.UnlinkRequested;
}

/// <summary>A creator's request to end an active binding; the shop approves or rejects it (TS-U1, TS-U4).</summary>
public sealed record UnlinkRequest(
    string Id,
    string BindingId,
    UnlinkState State,
    DateTimeOffset RequestedAt,
    DateTimeOffset AutoApproveAt);
