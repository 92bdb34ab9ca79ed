using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Server.Api.Admin;
using Bindery.Server.Infrastructure;
using Bindery.Server.Pages;

namespace Bindery.Server.Tests;

/// <summary>The console's catalog is complete in both languages, and every key a page uses exists (ADR 0015).</summary>
public sealed partial class ConsoleTextTests
{
    private static readonly IReadOnlyDictionary<string, string> En = Text.Table(Language.En);
    private static readonly IReadOnlyDictionary<string, string> Zh = Text.Table(Language.ZhCn);

    [Fact]
    public void Both_languages_have_the_same_keys_and_no_empty_text()
    {
        Assert.Empty(En.Keys.Except(Zh.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(Zh.Keys.Except(En.Keys).Order(StringComparer.Ordinal));
        Assert.All(En.Concat(Zh), kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), kv.Key));
    }

    [Fact]
    public void Both_languages_use_the_same_placeholders()
    {
        foreach (var key in En.Keys)
        {
            Assert.True(Placeholders(En[key]).SetEquals(Placeholders(Zh[key])), $"{key}: '{En[key]}' vs '{Zh[key]}'");
        }
    }

    [Fact]
    public void Every_key_a_page_names_is_in_the_catalog()
    {
        var pages = Path.Combine(RepoRoot(), "src", "Bindery.Server", "Pages");
        var used = Directory.EnumerateFiles(pages, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.EndsWith("Text.cs", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(used.Count > 100, $"only {used.Count} keys found: the scan is broken");
        var missing = used.Where(k => !k.EndsWith('.') && !En.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
        // A key built from a value ("role." + role) must be one the next test enumerates completely.
        var prefixes = used.Where(k => k.EndsWith('.')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(BuiltPrefixes.Order(StringComparer.Ordinal), prefixes);
    }

    private static readonly string[] BuiltPrefixes =
        ["role.", "state.", "status.", "merchant.", "unbind-method.", "app-state.", "kind.", "evidence.", "demo.", "history.", "ticket-state.", "ticket-subject.", "waiting.", "action."];

    [Fact]
    public void Every_key_built_from_a_value_is_in_the_catalog()
    {
        var policies = PolicyCatalog.LoadFolder(Path.Combine(RepoRoot(), "policies"));
        var keys = Wire.All<BindingRole>().Select(v => "role." + v)
            .Concat(Wire.All<BindingState>().Select(v => "state." + v))
            .Concat(Wire.All<ShopStatus>().Select(v => "status." + v))
            .Concat(Wire.All<MerchantType>().Select(v => "merchant." + v))
            .Concat(Wire.All<UnbindMethod>().Select(v => "unbind-method." + v))
            .Concat(Wire.All<ApplicationState>().Select(v => "app-state." + v))
            .Concat(Demo.Principals.Select(p => "kind." + p.Kind))
            .Concat(Wire.All<TicketState>().Select(v => "ticket-state." + v))
            .Concat(Wire.All<TicketSubject>().Select(v => "ticket-subject." + v))
            .Concat(new[] { "staff", "shop" }.Select(v => "waiting." + v))
            .Concat(policies.All.Where(p => p.UnbindApplication is not null).SelectMany(p => p.UnbindApplication!.Evidence.Kinds).Select(k => "evidence." + k))
            .Concat(Demo.Principals.Select(p => "demo." + p.Token))
            .Concat(["history.from", "history.to"])
            .Concat(Wire.All<BindingAction>().Select(v => "action." + v));
        var missing = keys.Where(k => !En.ContainsKey(k) || !Zh.ContainsKey(k)).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_missing_key_is_visible_not_blank()
    {
        Assert.Equal("⟦no.such.key⟧", Text.For(Language.En)["no.such.key"]);
    }

    [Theory]
    [InlineData("/console/shops/x", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example/", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_language_switch_returns_only_to_this_site(string? url, bool local) =>
        Assert.Equal(local, ConsoleSetup.IsLocal(url));

    private static HashSet<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found");
    }

    [GeneratedRegex(@"T(?:\.F\(|\[)""(?<key>[a-z0-9.\-]+)""")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
