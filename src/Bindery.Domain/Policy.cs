namespace Bindery.Domain;

/// <summary>How many accounts of each role a shop may hold at once. Invariant: both counts are ≥ 0.</summary>
public sealed record RoleLimits
{
    public RoleLimits(int official, int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(official);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        Official = official;
        Channel = channel;
    }

    public int Official { get; }
    public int Channel { get; }

    public int For(BindingRole role) => role == BindingRole.Official ? Official : Channel;
}

/// <summary>What a role may do with the shop's products (TS-B4).</summary>
public sealed record RoleTraits(bool ProductsSyncAutomatically, bool MayAddProductsByHand);

/// <summary>
/// Every number and switch that governs one platform's bindings. Policies are data (files under
/// <c>policies/</c>) parsed by <see cref="PolicyParser"/>; a <see cref="Policy"/> is always complete and valid.
/// </summary>
public sealed record Policy
{
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }

    /// <summary>TS-B4: product sync per role.</summary>
    public required RoleTraits Official { get; init; }
    public required RoleTraits Channel { get; init; }

    /// <summary>TS-B1 / TS-B2: capacity by merchant type.</summary>
    public required RoleLimits RegularCapacity { get; init; }
    public required RoleLimits InvitedCapacity { get; init; }

    /// <summary>TS-Q5: capacity while the shop is on probation, by shop kind.</summary>
    public required RoleLimits ProbationIndividual { get; init; }
    public required RoleLimits ProbationBusiness { get; init; }

    /// <summary>TS-E2.</summary>
    public required int MinimumAge { get; init; }

    /// <summary>TS-E3.</summary>
    public required bool AccountCountryMustMatchShop { get; init; }

    /// <summary>TS-E4: the caller's network country must equal the shop's country on these actions.</summary>
    public required IReadOnlySet<BindingAction> CallerCountryCheckedOn { get; init; }

    /// <summary>TS-E7: registration countries support staff cannot correct.</summary>
    public required IReadOnlySet<string> SupportCannotFixRegistrationCountries { get; init; }

    /// <summary>Null means any origin may bind.</summary>
    public IReadOnlySet<AccountOrigin>? AllowedOrigins { get; init; }

    /// <summary>TS-I1.</summary>
    public required TimeSpan InvitationTtl { get; init; }

    /// <summary>TS-Q1.</summary>
    public required TimeSpan MinimumActiveBeforeUnbind { get; init; }

    /// <summary>TS-Q2: null means unlimited.</summary>
    public int? OfficialUnbindsPerLifetime { get; init; }

    /// <summary>TS-Q3: null means unlimited.</summary>
    public int? ChannelBindLimit { get; init; }
    public required TimeSpan ChannelBindWindow { get; init; }

    /// <summary>TS-U4.</summary>
    public required TimeSpan UnlinkAutoApproveAfter { get; init; }

    public RoleTraits Traits(BindingRole role) => role == BindingRole.Official ? Official : Channel;

    public RoleLimits Capacity(MerchantType type) => type == MerchantType.Invited ? InvitedCapacity : RegularCapacity;

    public RoleLimits Probation(ShopKind kind) => kind == ShopKind.Business ? ProbationBusiness : ProbationIndividual;
}
