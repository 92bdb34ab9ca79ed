using Bindery.Domain;
using Bindery.Persistence;

namespace Bindery.Server.Features.Inbox;

/// <summary>
/// TS-I3: why an invitation still waits, from the same rules the accept will run: e.g. the account is registered
/// outside the operating country (support can correct it) or the shop lost its e-commerce permission.
/// The caller's network country is unknown here, so TS-E4 is left out.
/// </summary>
public static class PendingExplanation
{
    public static async Task<IReadOnlyList<ReasonView>?> For(BinderyDb db, BindingRow b, Policy policy, DateTimeOffset now, Language lang, CancellationToken ct)
    {
        if (b.State != BindingState.Invited)
        {
            return null;
        }
        var shop = await db.Shops.FindAsync([b.ShopId], ct);
        var account = await db.Accounts.FindAsync([b.AccountId], ct);
        if (shop is null || account is null)
        {
            return null;
        }
        var input = await RuleInputs.For(db, new RuleQuery(shop, account, b.Role, policy, now) { CallerCountry = shop.Country, Binding = b }, ct);
        var decision = Rules.Decide(BindingAction.Accept, input, policy, now);
        return decision.Reasons.Where(r => r.Rule != policy.Rule(RuleKeys.CallerCountry)).Select(r => ReasonView.From(r, lang)).ToArray();
    }
}
