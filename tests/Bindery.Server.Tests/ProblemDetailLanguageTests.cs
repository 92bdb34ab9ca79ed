using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Server.Core;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// Every problem detail the server writes exists in English and in Chinese: no call site passes a lone English
/// string as a detail, every 404 names a thing with a Chinese name, and every title is the catalog's problem.&lt;code&gt;
/// in both (that titles read as words is the catalog's own test).
/// </summary>
public sealed partial class ProblemDetailLanguageTests
{
    [Fact]
    public void No_problem_is_made_with_an_English_only_detail()
    {
        var offenders = SourceFiles()
            .SelectMany(f => EnglishOnlyDetail().Matches(File.ReadAllText(f)).Select(m => Path.GetFileName(f) + ": " + m.Value))
            .ToArray();
        Assert.True(offenders.Length == 0, "English-only detail: " + string.Join("; ", offenders));
    }

    [Fact]
    public void Every_thing_a_404_names_has_a_Chinese_name()
    {
        var named = SourceFiles()
            .SelectMany(f => NotFoundThing().Matches(File.ReadAllText(f)).Select(m => m.Groups["what"].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(named.Count > 10, $"only {named.Count} found: the scan is broken");
        // The catalog's thing.<name> keys, whose English text is the name the source passes.
        var things = Texts.For(Language.En).Under("thing.").Select(k => Texts.For(Language.En)["thing." + k]).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(named.Where(w => !things.Contains(w)).Order(StringComparer.Ordinal));
        Assert.Equal(things.Order(StringComparer.Ordinal), Problems.Things.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("未找到该店铺。", Problems.NotFound(Language.ZhCn, "shop").Detail);
    }

    [Fact]
    public void A_forbidden_detail_follows_the_callers_language()
    {
        Assert.Equal("Only the shop approves.", Problems.Forbidden(Language.En, "Only the shop approves.", "只有店铺才能同意。").Detail);
        Assert.Equal("只有店铺才能同意。", Problems.Forbidden(Language.ZhCn, "Only the shop approves.", "只有店铺才能同意。").Detail);
        Assert.Equal("你无权执行此操作。", Problems.Forbidden(Language.ZhCn).Detail);
    }

    [Fact]
    public void Every_problem_title_reads_as_words_in_both_languages()
    {
        var codes = Texts.For(Language.En).Under("problem.").ToArray();
        Assert.Equal(codes, Problems.TitledCodes.Keys.Order(StringComparer.Ordinal));
        foreach (var code in codes)
        {
            var en = Texts.For(Language.En)["problem." + code];
            var zh = Texts.For(Language.ZhCn)["problem." + code];
            Assert.Equal((en, zh), Problems.TitledCodes[code]);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", zh);
            Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", en);
            Assert.Equal(en, Problems.Make(409, code, Language.En).Title);
            Assert.Equal(zh, Problems.Make(409, code, Language.ZhCn).Title);
        }
    }

    [Fact]
    public void Every_problem_code_in_the_source_has_a_title_of_its_own()
    {
        var codes = SourceFiles()
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeInSource().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups["code"].Value)
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(codes.Count >= 20, $"only {codes.Count} codes found: the pattern no longer matches the source");
        var untitled = codes.Where(c => !Problems.TitledCodes.ContainsKey(c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(untitled.Count == 0, "problem codes without a title: " + string.Join(", ", untitled));
    }

    [Fact]
    public void A_status_without_a_code_of_its_own_is_titled_by_its_reason_phrase_not_by_the_code()
    {
        Assert.Equal("I'm a teapot.", Problems.Make(418, "http_418", Language.En).Title);
        Assert.Equal("请求失败(HTTP 418)。", Problems.Make(418, "http_418", Language.ZhCn).Title);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src", "Bindery.Server"), "*.cs", SearchOption.AllDirectories);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found");
    }

    // A code given to a refusal (Result.Refused, new RefusedResult), to Problems.Make at the edge, or in the edge's status table.
    [GeneratedRegex("""(?:Refused|RefusedResult)\(\s*"(?<code>[a-z_]+)"|Make\(\s*\d{3},\s*"(?<code>[a-z_]+)"|"(?<code>[a-z_]+)"\s*=>\s*\d{3}|\["(?<code>[a-z_]+)"\]\s*=\s*\d{3}""")]
    private static partial Regex CodeInSource();

    [GeneratedRegex(@"Problems\.Make\(\d+, [^,]+, [^,]+,\s*\$?""")]
    private static partial Regex EnglishOnlyDetail();

    [GeneratedRegex(@"NotFound\([^,()]*(?:\(\))?, ""(?<what>[^""]+)""\)|\.NotFound\(""(?<what>[^""]+)""\)")]
    private static partial Regex NotFoundThing();
}
