using System.Text.RegularExpressions;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Tests;

/// <summary>Every problem code the server answers with has a title of its own in English and in Chinese.</summary>
public sealed partial class ProblemTitleTests
{
    [GeneratedRegex("""Make\(\s*\d{3},\s*"([a-z_]+)"|"([a-z_]+)"\s*=>\s*\d{3}""")]
    private static partial Regex CodeInSource();

    private static DirectoryInfo Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir ?? throw new InvalidOperationException("Bindery.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_problem_code_in_the_source_has_a_title_in_both_languages()
    {
        var server = Path.Combine(Root().FullName, "src", "Bindery.Server");
        var codes = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeInSource().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(codes.Count >= 20, $"only {codes.Count} codes found: the pattern no longer matches the source");
        var untitled = codes.Where(c => !Problems.TitledCodes.ContainsKey(c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(untitled.Count == 0, "problem codes without a title: " + string.Join(", ", untitled));
        Assert.All(Problems.TitledCodes, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Value.En), t.Key);
            Assert.Contains(t.Value.Zh, c => c >= '\u4e00' && c <= '\u9fff');
        });
    }

    [Fact]
    public void A_status_without_a_code_of_its_own_is_titled_by_its_reason_phrase_not_by_the_code()
    {
        var en = Problems.Make(418, "http_418", Domain.Language.En);
        Assert.Equal("I'm a teapot.", en.Title);
        var zh = Problems.Make(418, "http_418", Domain.Language.ZhCn);
        Assert.Equal("请求失败(HTTP 418)。", zh.Title);
    }
}
