using BenchmarkDotNet.Attributes;
using Bindery.Domain;

namespace Bindery.Bench;

/// <summary>The rules engine alone: <see cref="Rules.Decide"/> for an invitation that passes every rule and one that fails several.</summary>
[MemoryDiagnoser]
public class DecideBench
{
    private Policy policy = null!;
    private DecisionInput allowed = null!;
    private DecisionInput denied = null!;
    private DateTimeOffset now;

    [GlobalSetup]
    public void Setup()
    {
        policy = PolicyParser.Parse(File.ReadAllText(PolicyPath()), "tiktok-shop.json");
        now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var shop = new Shop("shop-1", policy.Id, new CountryCode("GB"), MerchantType.Invited, ShopKind.Business, null, ShopStatus.Normal, true);
        var account = new Account("acc-1", AccountOrigin.TikTok, new CountryCode("GB"), new DateOnly(1990, 1, 1), AccountStatus.Normal);
        allowed = new DecisionInput { Shop = shop, Account = account, Role = BindingRole.Official, Usage = ShopUsage.Empty, CallerCountry = "GB" };
        // Under age, wrong country, caller elsewhere, already bound, official slot taken: five failing rules.
        denied = new DecisionInput
        {
            Shop = shop,
            Account = account with { BirthDate = new DateOnly(2015, 1, 1), RegistrationCountry = new CountryCode("US") },
            Role = BindingRole.Official,
            Usage = new ShopUsage(1, 0, 0, 0, []),
            CallerCountry = "US",
            AccountHeldBy = new AccountHold("bnd-x", "shop-2", BindingState.Active),
        };
    }

    [Benchmark]
    public Decision Allowed() => Rules.Decide(BindingAction.Invite, allowed, policy, now);

    [Benchmark]
    public Decision Denied() => Rules.Decide(BindingAction.Invite, denied, policy, now);

    public static string PolicyPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var p = Path.Combine(dir.FullName, "policies", "tiktok-shop.json");
            if (File.Exists(p))
            {
                return p;
            }
            dir = dir.Parent;
        }
        throw new FileNotFoundException("policies/tiktok-shop.json not found above " + AppContext.BaseDirectory);
    }
}
