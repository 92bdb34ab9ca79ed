using System.Globalization;

namespace Bindery.Domain;

/// <summary>
/// Main and sub accounts (DY-D1, DY-D4), as pure functions of the parties, the asked permission, the operator's
/// setting and the instant. Every failing rule comes back as a reason of a <see cref="Decision"/>; nothing throws.
/// </summary>
public static class DelegationRules
{
    /// <summary>The permission that stays with the main account (DY-D4); its wire name.</summary>
    public const string Owner = "owner";

    /// <summary>The permission delegable only when the operator allows it (DY-D4); its wire name.</summary>
    public const string Finance = "finance";

    /// <summary>
    /// DY-D1: both parties of a new authorization are certified enterprise accounts in normal status at
    /// <paramref name="now"/>. A certification holds on the half-open interval up to its end: at exactly
    /// <see cref="Account.CertifiedUntil"/> it has lapsed. Each party's failures are listed, the main's first.
    /// </summary>
    public static Decision CheckParties(Account main, Account sub, DateTimeOffset now)
    {
        var reasons = new List<Reason>();
        Party(main, "main", now, reasons);
        Party(sub, "sub", now, reasons);
        return Decision.Denied(reasons);
    }

    /// <summary>
    /// DY-D4: whether a sub account may be given <paramref name="permission"/> (a wire name): never <see cref="Owner"/>;
    /// <see cref="Finance"/> only when <paramref name="financeDelegable"/>; every other permission may.
    /// </summary>
    public static Decision CheckPermission(string permission, bool financeDelegable)
    {
        var rule = RuleCatalog.SubAccountPermissions.Id;
        if (string.Equals(permission, Owner, StringComparison.Ordinal))
        {
            return Decision.Denied([new Reason(rule, "permission_owner_not_delegable")]);
        }
        if (!financeDelegable && string.Equals(permission, Finance, StringComparison.Ordinal))
        {
            return Decision.Denied([new Reason(rule, "permission_finance_not_delegable")]);
        }
        return Decision.Allowed;
    }

    private static void Party(Account a, string side, DateTimeOffset now, List<Reason> reasons)
    {
        var rule = RuleCatalog.DelegationParties.Id;
        if (a.Type != AccountType.VerifiedEnterprise)
        {
            reasons.Add(new Reason(rule, "delegation_party_not_enterprise", Args: Args(("side", side), ("accountId", a.Id))));
        }
        else if (a.CertifiedUntil is { } until && until <= now)
        {
            // Renewing the certification (the annual review) lets the account take part again: it passes by action, not by waiting.
            reasons.Add(new Reason(rule, "delegation_party_certification_expired",
                Args: Args(("side", side), ("accountId", a.Id), ("expiredAt", Instant(until)))));
        }
        if (a.Status != AccountStatus.Normal)
        {
            reasons.Add(new Reason(rule, "delegation_party_not_normal",
                Args: Args(("side", side), ("accountId", a.Id), ("status", Wire.Name(a.Status)))));
        }
    }

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
