namespace Bindery.Domain;

/// <summary>DY-O4: may an account sell a shop's product now, and at what commission.</summary>
/// <param name="Decision">Allowed, or the failing rules (the shop or the account not in normal status).</param>
/// <param name="CommissionRate">0 when the account is bound to the shop in a zero-commission role; null = the product's own plan.</param>
/// <param name="BoundRole">The role the account holds with this shop, if any.</param>
public sealed record SaleTerms(Decision Decision, decimal? CommissionRate, BindingRole? BoundRole)
{
    /// <summary>DY-O4 when the account sells at zero commission, else null (no benefit applies).</summary>
    public string? Rule => CommissionRate == 0m ? RuleCatalog.ZeroCommission.Id : null;

    /// <summary>Why this commission, as a key of <see cref="Messages.Explain"/>.</summary>
    public string Explanation => CommissionRate == 0m ? "sale_zero_commission" : "sale_own_commission_plan";
}

public static class Selling
{
    public static SaleTerms Decide(Shop shop, Account account, BindingRole? boundRole, Policy policy)
    {
        List<Reason>? reasons = null;
        if (shop.Status != ShopStatus.Normal)
        {
            (reasons ??= []).Add(new Reason(policy.Rule(RuleKeys.ShopStatus), "shop_not_normal",
                Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = Wire.Name(shop.Status) }));
        }
        if (!shop.EcommercePermission)
        {
            (reasons ??= []).Add(new Reason(policy.Rule(RuleKeys.ShopStatus), "shop_ecommerce_revoked"));
        }
        if (account.Status != AccountStatus.Normal)
        {
            (reasons ??= []).Add(new Reason(policy.Rule(RuleKeys.AccountStatus), "account_not_normal", SupportCanHelp: false,
                Args: new Dictionary<string, string>(StringComparer.Ordinal) { ["status"] = Wire.Name(account.Status) }));
        }
        var decision = reasons is null ? Decision.Allowed : Decision.Denied(reasons);
        var zero = boundRole is { } role && policy.Settlement is { } s && s.ZeroCommissionRoles.Contains(role);
        return new SaleTerms(decision, zero ? 0m : null, boundRole);
    }
}
