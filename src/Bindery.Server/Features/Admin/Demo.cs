using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Accounts;
using Bindery.Server.Features.Chat;
using Bindery.Server.Features.Shops;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Admin;

public sealed record DemoPrincipal(string Token, string Kind, string? ShopId, string? AccountId, string Description);

/// <summary>
/// Demo mode: a small TikTok Shop world, seeded through the same commands as the API (so it has history), and
/// well-known tokens so the README's curl walkthrough runs as written. Never used outside demo mode.
/// </summary>
public static class Demo
{
    public static readonly DemoPrincipal[] Principals =
    [
        new("demo-admin", "admin", null, null, "Platform admin"),
        new("demo-merchant-gb-invited", "merchant", "shop-gb-invited", null, "Lumen Beauty UK: invited merchant, 1 official + 4 channel"),
        new("demo-merchant-gb-regular", "merchant", "shop-gb-regular", null, "Tea & Co: regular merchant, 1 official only"),
        new("demo-merchant-gb-probation", "merchant", "shop-gb-probation", null, "New Leaf: individual shop on probation for 30 days"),
        new("demo-merchant-us", "merchant", "shop-us", null, "Cactus Goods US: invited merchant in the United States"),
        new("demo-creator-alice", "creator", null, "acc-alice", "@alice.creates, GB, adult, normal"),
        new("demo-creator-bob", "creator", null, "acc-bob", "@bob.cooks, GB, adult, normal"),
        new("demo-creator-chen", "creator", null, "acc-chen", "@chen.style, GB, adult, normal"),
        new("demo-creator-dana", "creator", null, "acc-dana", "@dana.fit, GB, adult, normal"),
        new("demo-creator-teen", "creator", null, "acc-teen", "@teen.gamer, GB, 16 years old"),
        new("demo-creator-sam", "creator", null, "acc-sam", "@sam.us, registered in the US"),
        new("demo-creator-lea", "creator", null, "acc-lea", "@lea.paris, registered in France"),
        new("demo-creator-spam", "creator", null, "acc-spam", "@spam.bot, banned"),
        new("demo-merchant-dy", "merchant", "shop-dy", null, "山海茶铺 Shanhai Tea: Douyin enterprise shop, main account acc-dy-boss"),
        new("demo-creator-dy-star", "creator", null, "acc-dy-star", "@dy.star, Douyin personal account, real-name verified"),
        new("demo-creator-dy-fan", "creator", null, "acc-dy-fan", "@dy.fan, Douyin personal account"),
        new("demo-creator-dy-xigua", "creator", null, "acc-dy-xigua", "@xigua.chef, a Xigua account (cannot bind)"),
        new("demo-creator-dy-paid", "creator", null, "acc-dy-paid", "@dy.paid, has a formal payment account"),
        new("demo-reviewer", "reviewer", null, null, "Platform reviewer: the unbind-application review desk"),
        new("demo-support", "support", null, null, "Support agent: corrects account data, revokes sub-account authorizations"),
        new("demo-sub-dy", "sub", "shop-dy", "acc-dy-staff", "Sub account acc-dy-staff acting for 山海茶铺's main account: bindings.view, invitations.manage"),
        new("demo-agent-dy-1", "creator", null, "acc-dy-cs1", "@dy.cs1, customer-service sub account of shop-dy, group sales, online"),
        new("demo-agent-dy-2", "creator", null, "acc-dy-cs2", "@dy.cs2, customer-service sub account of shop-dy, group sales, online"),
        new("demo-agent-dy-3", "creator", null, "acc-dy-cs3", "@dy.cs3, customer-service sub account of shop-dy, group after-sales, offline"),
    ];

    /// <summary>The demo's password sign-in (printed in demo mode only): the merchant of Lumen Beauty UK.</summary>
    public const string LoginUsername = "demo";

    public const string LoginPassword = "bindery-demo-password";

    public static async Task SeedIfEmpty(WritePipeline pipeline, BinderyDb db, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        if (await db.Shops.AnyAsync(ct))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var commands = new List<IWriteCommand>
        {
            new CreateShop("shop-gb-invited", "Lumen Beauty UK", "tiktok-shop", "GB", MerchantType.Invited, ShopKind.Business, null, ShopStatus.Normal, true),
            new CreateShop("shop-gb-regular", "Tea & Co", "tiktok-shop", "GB", MerchantType.Regular, ShopKind.Business, null, ShopStatus.Normal, true),
            new CreateShop("shop-gb-probation", "New Leaf", "tiktok-shop", "GB", MerchantType.Invited, ShopKind.Individual, now.AddDays(30), ShopStatus.Normal, true),
            new CreateShop("shop-us", "Cactus Goods US", "tiktok-shop", "US", MerchantType.Invited, ShopKind.Business, null, ShopStatus.Normal, true),
            new CreateAccount("acc-alice", "alice.creates", AccountOrigin.TikTok, "GB", new DateOnly(1995, 4, 12), AccountStatus.Normal),
            new CreateAccount("acc-bob", "bob.cooks", AccountOrigin.TikTok, "GB", new DateOnly(1990, 9, 3), AccountStatus.Normal),
            new CreateAccount("acc-chen", "chen.style", AccountOrigin.TikTok, "GB", new DateOnly(1998, 1, 20), AccountStatus.Normal),
            new CreateAccount("acc-dana", "dana.fit", AccountOrigin.TikTok, "GB", new DateOnly(2001, 6, 30), AccountStatus.Normal),
            new CreateAccount("acc-teen", "teen.gamer", AccountOrigin.TikTok, "GB", today.AddYears(-16), AccountStatus.Normal),
            new CreateAccount("acc-sam", "sam.us", AccountOrigin.TikTok, "US", new DateOnly(1992, 2, 14), AccountStatus.Normal),
            new CreateAccount("acc-lea", "lea.paris", AccountOrigin.TikTok, "FR", new DateOnly(1994, 11, 2), AccountStatus.Normal),
            new CreateAccount("acc-spam", "spam.bot", AccountOrigin.TikTok, "GB", new DateOnly(1985, 1, 1), AccountStatus.Banned),
            new CreateAccount("acc-dy-boss", "dy.boss", AccountOrigin.Douyin, "CN", new DateOnly(1980, 5, 1), AccountStatus.Normal,
                AccountType.VerifiedEnterprise, RealNameVerified: true, Phone: "+8613800000001", CertifiedUntil: now.AddYears(1)),
            new CreateAccount("acc-dy-staff", "dy.staff", AccountOrigin.Douyin, "CN", new DateOnly(1992, 2, 2), AccountStatus.Normal,
                AccountType.VerifiedEnterprise, RealNameVerified: true, Phone: "+8613800000004", CertifiedUntil: now.AddYears(1)),
            new CreateAccount("acc-dy-heir", "dy.heir", AccountOrigin.Douyin, "CN", new DateOnly(1988, 8, 8), AccountStatus.Normal,
                AccountType.Enterprise, RealNameVerified: true, Phone: "+8613800000003"),
            new CreateAccount("acc-dy-star", "dy.star", AccountOrigin.Douyin, "CN", new DateOnly(1996, 3, 3), AccountStatus.Normal,
                AccountType.Personal, RealNameVerified: true, Phone: "+8613800000002"),
            new CreateAccount("acc-dy-fan", "dy.fan", AccountOrigin.Douyin, "CN", new DateOnly(1999, 9, 9), AccountStatus.Normal),
            new CreateAccount("acc-dy-xigua", "xigua.chef", AccountOrigin.Xigua, "CN", new DateOnly(1990, 1, 1), AccountStatus.Normal),
            new CreateAccount("acc-dy-paid", "dy.paid", AccountOrigin.Douyin, "CN", new DateOnly(1991, 1, 1), AccountStatus.Normal,
                HasFormalPaymentAccount: true),
            new CreateShop("shop-dy", "山海茶铺 Shanhai Tea", "douyin", "CN", MerchantType.Regular, ShopKind.Enterprise, null, ShopStatus.Normal, true,
                MainAccountId: "acc-dy-boss", PaymentAccount: "pay-shanhai-001"),
        };
        // DY-D4: the shop's main account authorizes a sub account with part of its permissions.
        commands.Add(new Access.AuthorizeDelegation("acc-dy-boss", "acc-dy-staff", "bindings.view invitations.manage"));
        foreach (var p in Principals.Where(p => p.Kind != "admin" && !IsAgent(p)))
        {
            commands.Add(new MintToken(p.Kind, p.ShopId, p.AccountId, "demo: " + p.Description, null, p.Token));
        }
        commands.Add(new Access.CreateLogin(LoginUsername, Passwords.Hash(LoginPassword), "merchant", "shop-gb-invited", null));
        // Support tickets and chat routing come after the original world, so its history keeps its sequence numbers.
        commands.AddRange(
        [
            // DY-D4 / DY-D5: enterprise sub accounts that serve the Douyin shop's customers.
            new CreateAccount("acc-dy-cs1", "dy.cs1", AccountOrigin.Douyin, "CN", new DateOnly(1993, 3, 1), AccountStatus.Normal, AccountType.Enterprise, RealNameVerified: true),
            new CreateAccount("acc-dy-cs2", "dy.cs2", AccountOrigin.Douyin, "CN", new DateOnly(1994, 4, 1), AccountStatus.Normal, AccountType.Enterprise, RealNameVerified: true),
            new CreateAccount("acc-dy-cs3", "dy.cs3", AccountOrigin.Douyin, "CN", new DateOnly(1995, 5, 1), AccountStatus.Normal, AccountType.Enterprise, RealNameVerified: true),
        ]);
        foreach (var p in Principals.Where(IsAgent))
        {
            commands.Add(new MintToken(PrincipalKind.Creator, null, p.AccountId, "demo: " + p.Description, null, p.Token));
        }
        var seeder = new Actor(new Principal(PrincipalKind.Admin, null, null, "demo-seed"), null, null, Language.En);
        var steps = commands.Select(c => (c, seeder)).ToList();
        // Tea & Co asks support why @lea.paris (registered in France) cannot be invited; TS-E7: support can fix it.
        var tea = new Actor(new Principal(PrincipalKind.Merchant, "shop-gb-regular", null, "demo-seed"), null, "GB", Language.En);
        steps.Add((new OpenTicket("shop-gb-regular", null, "acc-lea", null, BindingRole.Official,
            "Lea (@lea.paris) lives in London, but inviting her is refused because her account says France. Can you correct it?"), tea));
        // DY-D5: two sales agents online, an after-sales agent offline, and customers already writing in.
        var shanhai = new Actor(new Principal(PrincipalKind.Merchant, "shop-dy", null, "demo-seed"), null, null, Language.ZhCn);
        // In this order the loads are the same in every demo: @dy.cs1 holds two conversations, @dy.cs2 one, one waits.
        steps.Add((new RegisterAgent("shop-dy", "acc-dy-cs1", "sales", null, AgentStatus.Online), shanhai));
        steps.Add((new RegisterAgent("shop-dy", "acc-dy-cs3", "after-sales", null, AgentStatus.Offline), shanhai));
        steps.Add((new OpenConversation("shop-dy", "buyer-1001", "sales"), shanhai));
        steps.Add((new OpenConversation("shop-dy", "buyer-1002", "sales"), shanhai));
        steps.Add((new RegisterAgent("shop-dy", "acc-dy-cs2", "sales", 5, AgentStatus.Online), shanhai));
        steps.Add((new OpenConversation("shop-dy", "buyer-1003", "sales"), shanhai));
        steps.Add((new OpenConversation("shop-dy", "buyer-2001", "after-sales"), shanhai));
        foreach (var (command, actor) in steps)
        {
            var outcome = await pipeline.Execute(command, actor, null, ct);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"demo seed failed at {command}: {outcome}");
            }
        }
        log.LogInformation("Seeded the demo world: 5 shops (4 TikTok Shop, 1 Douyin), 18 accounts, {Tokens} tokens, 1 delegation, 1 login, 1 support ticket, 3 chat agents, 4 conversations",
            Principals.Length - 1);
    }

    private static bool IsAgent(DemoPrincipal p) => p.Token.StartsWith("demo-agent-", StringComparison.Ordinal);
}
