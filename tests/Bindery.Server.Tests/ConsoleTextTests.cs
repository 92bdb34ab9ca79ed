using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Server.Features.Admin;
using Bindery.Server.Infrastructure;
using Bindery.Server.Pages;

namespace Bindery.Server.Tests;

/// <summary>
/// Every key a page uses is a <c>console.</c> key of the text catalog (ADR 0015, ADR 0020). That both languages have
/// the same keys and placeholders is the catalog's own test (Bindery.Domain.Tests TextCatalogTests).
/// </summary>
public sealed partial class ConsoleTextTests
{
    private static readonly HashSet<string> En = Texts.For(Language.En).Under("console.").ToHashSet(StringComparer.Ordinal);
    private static readonly HashSet<string> Zh = Texts.For(Language.ZhCn).Under("console.").ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_console_reads_the_catalog()
    {
        Assert.Equal(En.Order(StringComparer.Ordinal), Text.Table(Language.En).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Texts.For(Language.ZhCn)["console.nav.shop"], Text.For(Language.ZhCn)["nav.shop"]);
        Assert.StartsWith("2 open applications, 1 overdue", Text.For(Language.En).F("review.summary", 2, 1), StringComparison.Ordinal);
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
        var missing = used.Where(k => !k.EndsWith('.') && !En.Contains(k)).Order(StringComparer.Ordinal).ToArray();
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
        var missing = keys.Where(k => !En.Contains(k) || !Zh.Contains(k)).ToArray();
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
}
