namespace Bindery.Domain;

/// <summary>Who receives income an account earned (DY-O1): the shop's payment account, or the account's own.</summary>
public enum IncomeRecipient { Account, Shop }

/// <summary>
/// DY-O1's answer for one instant. Invariant: <see cref="Recipient"/> is <see cref="IncomeRecipient.Shop"/> exactly
/// when <see cref="Binding"/> is an official binding whose shop's policy shares its payment account with it; then
/// <see cref="Rule"/> is DY-O1. <see cref="Binding"/> is the binding in force at the instant, if any.
/// <see cref="Explanation"/> is a key of <see cref="Messages.Explain"/>.
/// </summary>
public sealed record Attribution(IncomeRecipient Recipient, Binding? Binding, string? Rule, string Explanation);

/// <summary>
/// DY-O1 / X-6: which payment account receives income earned by an account at an instant, from its binding history.
/// Pure: the caller loads the account's bindings and, for an official one, its shop's policy.
/// </summary>
public static class IncomeAttribution
{
    /// <summary>
    /// The binding in force at <paramref name="at"/>: activated, and <paramref name="at"/> inside the half-open
    /// interval [activatedAt, endedAt) (an ending binding no longer holds at its end instant). An account holds at most
    /// one binding at a time (TS-B3, DY-B1); were history to overlap, the latest activated wins.
    /// </summary>
    public static Binding? InForce(IEnumerable<Binding> history, DateTimeOffset at) =>
        history.Where(b => b.ActivatedAt is { } start && start <= at && (b.EndedAt is not { } end || at < end))
            .OrderByDescending(b => b.ActivatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// DY-O1: the official binding in force shares the shop's payment account when <paramref name="shopPolicy"/> (the
    /// policy of that binding's shop) says so; any other case settles to the account itself.
    /// </summary>
    public static Attribution Decide(Binding? inForce, Policy? shopPolicy)
    {
        if (inForce is { Role: BindingRole.Official } && shopPolicy?.Settlement is { OfficialSharesPaymentAccount: true })
        {
            return new Attribution(IncomeRecipient.Shop, inForce, RuleCatalog.OfficialSettlement.Id, "income_to_shop");
        }
        return new Attribution(IncomeRecipient.Account, null, null, "income_to_account");
    }
}
