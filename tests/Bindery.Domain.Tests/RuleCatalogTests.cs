using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>
/// The rule catalog is the one list of the spec's rules: it holds every id of shared/spec/domain.md, every id is
/// named by a test, every key the engine asks resolves to a rule that governs it under each shipped policy, and a
/// policy file that names an unknown key or rule does not load.
/// </summary>
public sealed partial class RuleCatalogTests
{
    // Ids are matched where the spec declares them: "- **TS-B1** ..." and "- **X-1 Audit.** ...".
    [GeneratedRegex(@"^- \*\*((?:TS|DY)-[A-Z][0-9]+|[XZ]-[0-9]+)", RegexOptions.Multiline)]
    private static partial Regex SpecId();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Bindery.sln not found above " + AppContext.BaseDirectory);
    }

    private static string CopyPath => Path.Combine(RepoRoot(), "docs", "spec-rule-ids.txt");

    private static string[] CheckedInIds() =>
        [.. File.ReadAllLines(CopyPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    /// <summary>The spec's ids from domain.md when the shared folder is there, else from the checked-in copy.</summary>
    private static string[] SpecIds()
    {
        var spec = Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "spec", "domain.md"));
        return File.Exists(spec) ? [.. SpecId().Matches(File.ReadAllText(spec)).Select(m => m.Groups[1].Value)] : CheckedInIds();
    }

    [Fact] // X-4: every failing rule is named by its spec id, so every spec id has its one entry
    public void The_catalog_holds_every_rule_id_of_the_spec_and_no_other()
    {
        var spec = SpecIds();
        Assert.True(spec.Length > 50, $"only {spec.Length} ids read from the spec");
        var catalog = RuleCatalog.All.Select(r => r.Id).ToArray();
        Assert.Equal(catalog.Length, catalog.Distinct(StringComparer.Ordinal).Count());
        var missing = spec.Except(catalog, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "spec ids missing from RuleCatalog: " + string.Join(", ", missing));
        var extra = catalog.Except(spec, StringComparer.Ordinal).ToArray();
        Assert.True(extra.Length == 0, "RuleCatalog ids the spec does not have: " + string.Join(", ", extra));
    }

    [Fact]
    public void The_checked_in_copy_of_the_spec_ids_matches_the_spec_when_the_spec_is_there()
    {
        var spec = Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "spec", "domain.md"));
        if (!File.Exists(spec))
        {
            return; // a clone without ../shared: the copy is the source (see SpecIds)
        }
        var fromSpec = SpecId().Matches(File.ReadAllText(spec)).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(fromSpec.SequenceEqual(CheckedInIds(), StringComparer.Ordinal),
            "docs/spec-rule-ids.txt differs from domain.md; regenerate it: " +
            "grep -oE '^- \\*\\*((TS|DY)-[A-Z][0-9]+|[XZ]-[0-9]+)' ../shared/spec/domain.md | sed 's/^- \\*\\*//'");
    }

    /// <summary>
    /// Spec ids no test names yet. Empty today; an id may be added here only with a comment saying why it cannot be
    /// tested yet, so that the test still fails for any new gap.
    /// </summary>
    private static readonly string[] UncoveredAllowList = [];

    [Fact]
    public void Every_rule_of_the_catalog_is_named_by_a_test()
    {
        var tests = Path.Combine(RepoRoot(), "tests");
        var self = Path.Combine("Bindery.Domain.Tests", nameof(RuleCatalogTests) + ".cs");
        var text = string.Join('\n', Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(self, StringComparison.Ordinal))
            .Select(File.ReadAllText));
        // "TS-E1" must not count as a mention of "TS-E1" inside "TS-E10", hence the lookarounds.
        var unnamed = RuleCatalog.All
            .Where(r => !Regex.IsMatch(text, $@"(?<![A-Z0-9-]){Regex.Escape(r.Id)}(?![0-9])"))
            .Select(r => r.Id)
            .Except(UncoveredAllowList, StringComparer.Ordinal)
            .ToArray();
        Assert.True(unnamed.Length == 0, "catalog rules no test names: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void The_catalog_is_consistent_with_its_keys_and_the_message_catalog()
    {
        foreach (var key in RuleCatalog.Keys)
        {
            Assert.True(RuleCatalog.DefaultFor(key).Governs(key), $"the default rule of {key} does not govern it");
        }
        foreach (var rule in RuleCatalog.All)
        {
            Assert.All(rule.PolicyKeys, key => Assert.True(RuleCatalog.IsKey(key), $"{rule.Id}: {key} is not a rule key"));
            Assert.All(rule.MessageKeys, code => Assert.True(Messages.Has(code), $"{rule.Id}: {code} is not a message code"));
        }
        // Every reason code belongs to some rule.
        var claimed = RuleCatalog.All.SelectMany(r => r.MessageKeys).ToHashSet(StringComparer.Ordinal);
        var orphans = Messages.Codes.Where(c => !claimed.Contains(c)).ToArray();
        Assert.True(orphans.Length == 0, "message codes no rule lists: " + string.Join(", ", orphans));
    }

    [Fact]
    public void A_key_the_catalog_does_not_know_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Preset.Rule("capacity.regular.showcse"));
    }

    private static IEnumerable<Policy> ShippedPolicies()
    {
        var folder = Path.Combine(RepoRoot(), "policies");
        var files = Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        return files.Select(f => PolicyParser.Parse(File.ReadAllText(f), Path.GetFileName(f)));
    }

    /// <summary>The keys the engine can ask under a policy: the ones whose check the policy switches on.</summary>
    private static IEnumerable<string> KeysAskedUnder(Policy p)
    {
        string[] always = [RuleKeys.ShopStatus, RuleKeys.AccountStatus, RuleKeys.Age, RuleKeys.OneShopPerAccount,
            RuleKeys.InvitationExpiry, RuleKeys.InvitationAnswer, RuleKeys.UnlinkRequest];
        foreach (var key in always)
        {
            yield return key;
        }
        if (p.AllowedOrigins is not null)
        {
            yield return RuleKeys.Origin;
        }
        if (p.FormalPaymentAccountBlocksOfficial)
        {
            yield return RuleKeys.FormalPaymentAccount;
        }
        if (p.AccountCountryMustMatchShop)
        {
            yield return RuleKeys.AccountCountry;
        }
        if (p.CallerCountryCheckedOn.Count > 0)
        {
            yield return RuleKeys.CallerCountry;
        }
        if (p.ProbationIndividual is not null || p.ProbationBusiness is not null)
        {
            yield return RuleKeys.Probation;
        }
        if (p.ChannelBindLimit is not null)
        {
            yield return RuleKeys.ChannelBindQuota;
        }
        if (p.OfficialUnbindsPerLifetime is not null)
        {
            yield return RuleKeys.OfficialUnbinds;
        }
        var roles = p.Showcase is null ? new[] { BindingRole.Official, BindingRole.Channel } : Enum.GetValues<BindingRole>();
        foreach (var role in roles)
        {
            yield return RuleKeys.Capacity(MerchantType.Regular, role);
            yield return RuleKeys.Capacity(MerchantType.Invited, role);
            yield return RuleKeys.UnbindMethod(role);
            yield return RuleKeys.UnbindDelay(role);
        }
    }

    /// <summary>
    /// Douyin keys that resolve to a TikTok Shop rule on purpose: the Douyin part of the spec has no rule of its own
    /// for these checks, and the douyin preset adopts TikTok Shop's (its file marks them "policy choice"): account
    /// status (TS-E1), minimum age (TS-E2), the invitation's answer time and state (TS-I1, TS-I2), and the unlink
    /// request of a channel account (TS-U1).
    /// </summary>
    private static readonly Dictionary<string, string> DouyinAdoptsTikTok = new(StringComparer.Ordinal)
    {
        [RuleKeys.AccountStatus] = "TS-E1",
        [RuleKeys.Age] = "TS-E2",
        [RuleKeys.InvitationExpiry] = "TS-I1",
        [RuleKeys.InvitationAnswer] = "TS-I2",
        [RuleKeys.UnlinkRequest] = "TS-U1",
    };

    [Fact] // DY-B2, DY-B3, DY-B6, DY-O2, DY-L1: a Douyin policy never shows a TikTok id for a Douyin rule
    public void Every_key_of_every_shipped_policy_resolves_to_a_catalog_rule_that_governs_it()
    {
        foreach (var policy in ShippedPolicies())
        {
            foreach (var key in RuleCatalog.Keys)
            {
                var id = policy.Rule(key);
                var rule = RuleCatalog.Find(id);
                Assert.True(rule is not null, $"{policy.Id}: {key} resolves to {id}, not a rule of the catalog");
                Assert.True(rule.Governs(key), $"{policy.Id}: {key} resolves to {id}, which does not govern it");
            }
            if (policy.Id != "douyin")
            {
                continue;
            }
            var tikTok = KeysAskedUnder(policy)
                .Select(key => (Key: key, Id: policy.Rule(key)))
                .Where(k => k.Id.StartsWith("TS-", StringComparison.Ordinal)
                    && !(DouyinAdoptsTikTok.TryGetValue(k.Key, out var adopted) && adopted == k.Id))
                .Select(k => $"{k.Key} → {k.Id}")
                .ToArray();
            Assert.True(tikTok.Length == 0, "douyin keys resolving to a TikTok Shop rule: " + string.Join(", ", tikTok));
        }
    }

    [Fact] // DY-B3, Z-2: the issue's line "TS-B1 showcase_capacity: 1/∞" of a Douyin shop
    public void A_Douyin_shops_showcase_capacity_line_names_the_showcase_rule()
    {
        foreach (var type in new[] { MerchantType.Regular, MerchantType.Invited })
        {
            var lines = Quotas.For(Shop(type), Douyin, ShopUsage.Empty, T0);
            var showcase = Assert.Single(lines, l => l.Name == "showcase_capacity");
            Assert.Equal("DY-B3", showcase.Rule);
            Assert.Null(showcase.Limit);
            Assert.Equal("DY-B2", Assert.Single(lines, l => l.Name == "official_capacity").Rule);
            Assert.Equal("DY-B6", Assert.Single(lines, l => l.Name == "channel_capacity").Rule);
        }
    }

    private static PolicyException DouyinWith(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "douyin.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        change(json["ruleIds"]!.AsObject());
        return Assert.Throws<PolicyException>(() => PolicyParser.Parse(json.ToJsonString(), "douyin.json"));
    }

    [Fact]
    public void A_mistyped_rule_key_stops_the_policy_and_names_the_file_and_the_field()
    {
        var e = DouyinWith(ids => ids["capacity.regular.showcse"] = "DY-B3");
        Assert.Equal("douyin.json", e.PolicySource);
        var error = Assert.Single(e.Errors);
        Assert.StartsWith("ruleIds.capacity.regular.showcse: unknown rule key; known keys: ", error, StringComparison.Ordinal);
        Assert.Contains("capacity.regular.showcase", error, StringComparison.Ordinal);
        Assert.Contains("douyin.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_id_the_catalog_does_not_know_stops_the_policy()
    {
        var e = DouyinWith(ids => ids["capacity.regular.showcase"] = "DY-B9");
        Assert.Equal("ruleIds.capacity.regular.showcase: \"DY-B9\" is not a rule id of the spec", Assert.Single(e.Errors));
    }

    [Fact]
    public void A_rule_that_does_not_govern_the_key_stops_the_policy()
    {
        // The defect of the issue, written down: a showcase capacity under the TikTok regular-merchant rule.
        var e = DouyinWith(ids => ids["capacity.regular.showcase"] = "TS-B1");
        Assert.Equal("ruleIds.capacity.regular.showcase: TS-B1 does not govern \"capacity.regular.showcase\"; rules that do: DY-B3",
            Assert.Single(e.Errors));
    }

    [Fact]
    public void A_rule_id_that_is_not_an_id_at_all_is_still_named()
    {
        var e = DouyinWith(ids => ids["shopStatus"] = 7);
        Assert.Equal("ruleIds.shopStatus: must be a rule id such as \"TS-E5\"", Assert.Single(e.Errors));
    }
}
