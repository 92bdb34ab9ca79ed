namespace Bindery.Domain;

/// <summary>
/// What the shop has used, as of the decision instant. Counts include every live binding (pending invitations
/// that have not expired, active bindings, bindings with an unlink request), as TS-B3 requires.
/// </summary>
/// <param name="LiveOfficial">Live official bindings of the shop.</param>
/// <param name="LiveChannel">Live channel bindings of the shop.</param>
/// <param name="PendingChannel">Channel invitations not yet answered (they will spend a channel bind, TS-Q3).</param>
/// <param name="OfficialUnbindsUsed">Official bindings that ended by unbinding, over the shop's whole life (TS-Q2).</param>
/// <param name="ChannelBindsInWindow">Activation instants of channel bindings inside the rolling window, oldest first (TS-Q3):
/// a bind at b holds a slot over the half-open [b, b + window); the engine counts those whose interval holds its instant.</param>
public sealed record ShopUsage(
    int LiveOfficial,
    int LiveChannel,
    int PendingChannel,
    int OfficialUnbindsUsed,
    IReadOnlyList<DateTimeOffset> ChannelBindsInWindow)
{
    public static readonly ShopUsage Empty = new(0, 0, 0, 0, []);

    /// <summary>Live showcase bindings of the shop (DY-B3).</summary>
    public int LiveShowcase { get; init; }

    public int Live(BindingRole role) => role switch
    {
        BindingRole.Official => LiveOfficial,
        BindingRole.Channel => LiveChannel,
        _ => LiveShowcase,
    };
}

/// <summary>A live binding that holds the account somewhere (TS-B3).</summary>
public sealed record AccountHold(string BindingId, string ShopId, BindingState State);

/// <summary>
/// Everything <see cref="Rules.Decide"/> needs for one action. Loaded by the caller in one consistent read.
/// </summary>
public sealed record DecisionInput
{
    public required Shop Shop { get; init; }
    public required Account Account { get; init; }
    public required BindingRole Role { get; init; }
    public required ShopUsage Usage { get; init; }

    /// <summary>The binding acted on (all actions but Invite).</summary>
    public Binding? Binding { get; init; }

    /// <summary>The unlink request acted on (ApproveUnlink, RejectUnlink).</summary>
    public UnlinkRequest? UnlinkRequest { get; init; }

    /// <summary>Z-4: the official binding this invitation replaces when accepted (a swap), if any.</summary>
    public Binding? Replacing { get; init; }

    /// <summary>A live binding of the account other than <see cref="Binding"/>, if any.</summary>
    public AccountHold? AccountHeldBy { get; init; }

    /// <summary>Country of the caller's network address from the edge header; null when unknown (TS-E4).</summary>
    public string? CallerCountry { get; init; }
}
