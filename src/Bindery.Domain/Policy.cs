namespace Bindery.Domain;

/// <summary>
/// How many accounts of each role a shop may hold at once. Invariant: every count is ≥ 0; a null showcase
/// count means no limit (a role left out of a policy file holds 0).
/// </summary>
public sealed record RoleLimits
{
    public RoleLimits(int official, int channel, int? showcase = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(official);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        if (showcase is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(showcase));
        }
        Official = official;
        Channel = channel;
        Showcase = showcase;
    }

    public int Official { get; }
    public int Channel { get; }
    public int? Showcase { get; }

    /// <summary>The limit for a role; null = unlimited.</summary>
    public int? For(BindingRole role) => role switch
    {
        BindingRole.Official => Official,
        BindingRole.Channel => Channel,
        _ => Showcase,
    };
}

/// <summary>
/// What a role may do with the shop's products (TS-B4), how its binding is undone (DY-O2, DY-B3, TS-U1) and how
/// long it must have been active first (TS-Q1, DY-B6; null = the policy's default).
/// </summary>
public sealed record RoleTraits(
    bool ProductsSyncAutomatically,
    bool MayAddProductsByHand,
    UnbindMethod Unbind = UnbindMethod.UnlinkRequest,
    TimeSpan? MinimumActive = null);

/// <summary>DY-L1: a closing shop publishes a notice; at its end the shop closes and every binding ends.</summary>
public sealed record ClosurePolicy(TimeSpan NoticePeriod);

/// <summary>DY-L2: a deleted account's bindings end this long after the deletion.</summary>
public sealed record AccountDeletionPolicy(TimeSpan BindingsEndAfter);

/// <summary>DY-O3: binding these account types to these shop kinds as official upgrades the account.</summary>
public sealed record EnterpriseUpgradePolicy(IReadOnlySet<ShopKind> ShopKinds, IReadOnlySet<AccountType> AccountTypes);

/// <summary>DY-O1 / DY-O4: who is paid for an official account's sales, and the commission of bound accounts.</summary>
public sealed record SettlementPolicy(bool OfficialSharesPaymentAccount, IReadOnlySet<BindingRole> ZeroCommissionRoles);

/// <summary>DY-M1..M4: changing a shop's main account.</summary>
public sealed record MainAccountPolicy(
    int CodeLength,
    TimeSpan CodeValidFor,
    TimeSpan ChangeWindow,
    int MaxWrongCodes,
    TimeSpan LockFor,
    TimeSpan RebindWaitingPeriod,
    int MaxChanges,
    TimeSpan ChangePeriod);

/// <summary>One reason a merchant may give for an unbind application, and the evidence it needs (DY-A1).</summary>
public sealed record UnbindReason(string Code, string En, string Zh, IReadOnlySet<string> RequiredEvidence, bool RequiresText);

/// <summary>DY-A5: evidence file limits.</summary>
public sealed record EvidencePolicy(long MaxBytes, int MaxFiles, IReadOnlySet<string> ContentTypes, IReadOnlySet<string> Kinds);

/// <summary>DY-A1..A5: unbind applications reviewed by staff within a number of business days.</summary>
public sealed record UnbindApplicationPolicy(
    int ReviewMinBusinessDays,
    int ReviewMaxBusinessDays,
    BusinessCalendar Calendar,
    IReadOnlyList<UnbindReason> Reasons,
    EvidencePolicy Evidence)
{
    public UnbindReason? Reason(string code) => Reasons.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
}

/// <summary>
/// Every number and switch that governs one platform's bindings. Policies are data (files under
/// <c>policies/</c>) parsed by <see cref="PolicyParser"/>; a <see cref="Policy"/> is always complete and valid.
/// </summary>
public sealed record Policy
{
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }

    /// <summary>TS-B4: product sync per role, and how each role is undone.</summary>
    public required RoleTraits Official { get; init; }
    public required RoleTraits Channel { get; init; }

    /// <summary>Null: the policy offers no showcase role (capacity 0).</summary>
    public RoleTraits? Showcase { get; init; }

    /// <summary>DY-B5: an account with a formal payment account cannot become an official account.</summary>
    public bool FormalPaymentAccountBlocksOfficial { get; init; }

    /// <summary>
    /// Spec rule ids by engine rule key, where the platform's rule differs from the catalog's default
    /// (<see cref="RuleCatalog.DefaultFor"/>). A parsed policy maps only keys of the catalog to rules that govern them.
    /// </summary>
    public IReadOnlyDictionary<string, string> RuleIds { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public ClosurePolicy? Closure { get; init; }
    public AccountDeletionPolicy? AccountDeletion { get; init; }
    public EnterpriseUpgradePolicy? EnterpriseUpgrade { get; init; }
    public SettlementPolicy? Settlement { get; init; }
    public MainAccountPolicy? MainAccount { get; init; }
    public UnbindApplicationPolicy? UnbindApplication { get; init; }

    /// <summary>X-3 / Z-1: support tickets and their response targets; null = the policy offers no support tickets.</summary>
    public SupportPolicy? Support { get; init; }

    /// <summary>TS-B1 / TS-B2: capacity by merchant type.</summary>
    public required RoleLimits RegularCapacity { get; init; }
    public required RoleLimits InvitedCapacity { get; init; }

    /// <summary>TS-Q5: capacity while the shop is on probation, by shop kind; null = no probation limits.</summary>
    public RoleLimits? ProbationIndividual { get; init; }
    public RoleLimits? ProbationBusiness { get; init; }

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

    /// <summary>The traits of a role; a role the policy does not offer reads as a channel-like role with capacity 0.</summary>
    public RoleTraits Traits(BindingRole role) => role switch
    {
        BindingRole.Official => Official,
        BindingRole.Channel => Channel,
        _ => Showcase ?? Channel,
    };

    /// <summary>TS-Q1 / DY-B6: how long a binding of the role must have been active before it can be undone.</summary>
    public TimeSpan MinimumActive(BindingRole role) => Traits(role).MinimumActive ?? MinimumActiveBeforeUnbind;

    /// <summary>The spec id of an engine rule key (<see cref="RuleKeys"/>) under this policy: the policy's own, else the catalog's default.</summary>
    /// <exception cref="ArgumentException">The key is not one of the catalog (a programming error).</exception>
    public string Rule(string key)
    {
        var fallback = RuleCatalog.DefaultFor(key);
        return RuleIds.TryGetValue(key, out var id) ? id : fallback.Id;
    }

    public RoleLimits Capacity(MerchantType type) => type == MerchantType.Invited ? InvitedCapacity : RegularCapacity;

    public RoleLimits? Probation(ShopKind kind) => kind == ShopKind.Individual ? ProbationIndividual : ProbationBusiness;

    /// <summary>
    /// The shop's capacity for a role now: its merchant type's (<c>Normal</c>) and, while on probation, the lower
    /// probation figure (<c>Limit</c>). Null = no limit.
    /// </summary>
    public (int? Normal, int? Limit) CapacityFor(Shop shop, BindingRole role, DateTimeOffset now)
    {
        var normal = Capacity(shop.MerchantType).For(role);
        if (!shop.OnProbation(now) || Probation(shop.Kind) is not { } probation)
        {
            return (normal, normal);
        }
        var low = probation.For(role);
        return (normal, normal is null ? low : low is null ? normal : Math.Min(normal.Value, low.Value));
    }
}
