namespace Bindery.Domain;

/// <summary>Where a support ticket stands: whose move it is follows from the state.</summary>
public enum TicketState { Open, WaitingForSupport, WaitingForMerchant, Closed }

/// <summary>What a ticket is about: an invitation that still waits (TS-I3) or one the rules refused (TS-E7).</summary>
public enum TicketSubject { PendingInvitation, RefusedInvitation }

/// <summary>
/// Z-1 / X-3: how fast support staff answer a ticket and how long a ticket waits on the merchant before it is
/// flagged. Invariant: both are greater than zero.
/// </summary>
public sealed record SupportPolicy
{
    public SupportPolicy(TimeSpan responseTarget, TimeSpan merchantReplyTarget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(responseTarget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(merchantReplyTarget, TimeSpan.Zero);
        ResponseTarget = responseTarget;
        MerchantReplyTarget = merchantReplyTarget;
    }

    public TimeSpan ResponseTarget { get; }
    public TimeSpan MerchantReplyTarget { get; }
}

/// <summary>The account data a support agent may correct (TS-E7): never the status.</summary>
public sealed record AccountCorrection(CountryCode? RegistrationCountry, DateOnly? BirthDate)
{
    public bool IsEmpty => RegistrationCountry is null && BirthDate is null;
}

/// <summary>
/// The rules of support tickets (X-3, TS-E7) as pure functions. Support can help with everything except an account
/// whose status is abnormal (TS-E1) or an account registered in a country the policy lists (the United States in
/// the TikTok Shop preset); the status itself is never corrected by support.
/// </summary>
public static class SupportTickets
{
    public static readonly string Rule = RuleCatalog.SupportTickets.Id;
    public static readonly string CorrectionRule = RuleCatalog.SupportCorrection.Id;

    public const int MaxMessage = 4000;
    public const int MaxCloseReason = 500;

    public static bool IsOpen(TicketState state) => state != TicketState.Closed;

    /// <summary>Z-1: whose move it is in this state: "staff" (support) or "shop" (the merchant); null when closed.</summary>
    public static string? WaitingParty(TicketState state) => state switch
    {
        TicketState.Open or TicketState.WaitingForSupport => "staff",
        TicketState.WaitingForMerchant => "shop",
        _ => null,
    };

    /// <summary>Z-1: by when the party whose move it is should act, counted from the ticket's last change.</summary>
    public static DateTimeOffset? DueAt(TicketState state, DateTimeOffset since, SupportPolicy policy) => WaitingParty(state) switch
    {
        "staff" => since + policy.ResponseTarget,
        "shop" => since + policy.MerchantReplyTarget,
        _ => null,
    };

    /// <summary>The state after a reply: a merchant's reply waits on support, a support reply on the merchant.</summary>
    public static TicketState AfterReply(bool bySupport) => bySupport ? TicketState.WaitingForMerchant : TicketState.WaitingForSupport;

    /// <summary>Replies, corrections and closing need an open ticket.</summary>
    public static Decision CheckOpen(TicketState state) =>
        IsOpen(state) ? Decision.Allowed : Decision.Denied([new Reason(Rule, "ticket_closed")]);

    /// <summary>
    /// TS-E7: may support correct this account's data? Not when its status is abnormal (nobody but the platform's
    /// account team changes a status), nor when it is registered in a country support cannot fix. Every failing
    /// reason is listed.
    /// </summary>
    public static Decision CheckCorrection(Account account, Policy policy, AccountCorrection correction)
    {
        var reasons = new List<Reason>();
        if (account.Status != AccountStatus.Normal)
        {
            reasons.Add(new Reason(CorrectionRule, "support_cannot_fix_status", SupportCanHelp: false,
                Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = Wire.Name(account.Status) }));
        }
        if (policy.SupportCannotFixRegistrationCountries.Contains(account.RegistrationCountry.Value))
        {
            reasons.Add(new Reason(CorrectionRule, "support_cannot_fix_country", SupportCanHelp: false,
                Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["country"] = account.RegistrationCountry.Value }));
        }
        if (correction.IsEmpty
            || ((correction.RegistrationCountry is null || correction.RegistrationCountry == account.RegistrationCountry)
                && (correction.BirthDate is null || correction.BirthDate == account.BirthDate)))
        {
            reasons.Add(new Reason(CorrectionRule, "correction_changes_nothing"));
        }
        return Decision.Denied(reasons);
    }

    /// <summary>Whether support can help with at least one blocking reason (TS-E7), and none is beyond it.</summary>
    public static bool SupportCanFixAll(Decision blocking) =>
        !blocking.IsAllowed && blocking.Reasons.All(r => r.SupportCanHelp == true);
}
