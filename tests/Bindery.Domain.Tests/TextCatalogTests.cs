using System.Text.Json;

namespace Bindery.Domain.Tests;

/// <summary>
/// The text catalog (ADR 0020): <c>Texts/en.json</c> and <c>Texts/zh-CN.json</c> hold the same keys, in order, each
/// with the same placeholders and a text in both languages; every template, filled with a count of one and of two,
/// reads as words.
/// </summary>
public sealed class TextCatalogTests
{
    private static readonly string[] Prefixes = ["console.", "detail.", "explain.", "problem.", "quota.", "rule.", "thing.", "word."];

    private static Texts En => Texts.For(Language.En);

    private static Texts Zh => Texts.For(Language.ZhCn);

    [Fact]
    public void Both_languages_have_exactly_the_same_keys()
    {
        Assert.True(En.Keys.Count() > 500, $"only {En.Keys.Count()} keys: the catalog did not load");
        Assert.Empty(En.Keys.Except(Zh.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(Zh.Keys.Except(En.Keys).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("en.json")]
    [InlineData("zh-CN.json")]
    public void Each_file_is_a_flat_object_of_unique_sorted_keys_under_a_known_prefix(string file)
    {
        var keys = new List<string>();
        var reader = new Utf8JsonReader(File.ReadAllBytes(Path.Combine(RepoRoot(), "src", "Bindery.Domain", "Texts", file)));
        Assert.True(reader.Read() && reader.TokenType == JsonTokenType.StartObject, file + ": not an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            keys.Add(reader.GetString()!);
            Assert.True(reader.Read() && reader.TokenType == JsonTokenType.String, $"{file}: {keys[^1]} is not a string");
        }
        Assert.Equal(keys.Distinct(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.DoesNotContain(keys, k => !Prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal) && k.Length > p.Length));
        Assert.Equal(En.Keys, keys);
    }

    [Fact]
    public void No_text_is_empty()
    {
        foreach (var texts in new[] { En, Zh })
        {
            Assert.DoesNotContain(texts.Keys, k => string.IsNullOrWhiteSpace(texts[k]));
        }
    }

    [Fact]
    public void Every_key_has_the_same_placeholders_in_both_languages()
    {
        var differ = En.Keys.Where(k => !Texts.Placeholders(En[k]).SetEquals(Texts.Placeholders(Zh[k])))
            .Select(k => $"{k}: '{En[k]}' vs '{Zh[k]}'").ToArray();
        Assert.True(differ.Length == 0, string.Join("\n", differ));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void Every_template_filled_with_one_and_two_reads_as_words(string tag)
    {
        var texts = Texts.For(tag == "en" ? Language.En : Language.ZhCn);
        var wrong = new List<string>();
        foreach (var key in texts.Keys)
        {
            foreach (var n in new[] { 1, 2 })
            {
                var text = Filled(texts, key, n);
                if (WordsPatterns.IsoDuration().IsMatch(text) || WordsPatterns.PluralError().IsMatch(text) || WordsPatterns.Brace().IsMatch(text))
                {
                    wrong.Add($"{key} ({n}): {text}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Texts_are_read_once_and_a_missing_key_is_visible()
    {
        Assert.Same(En, Texts.For(Language.En));
        Assert.Equal(Language.ZhCn, Zh.Language);
        Assert.Equal("⟦no.such.key⟧", En["no.such.key"]);
        Assert.False(En.TryGet("no.such.key", out _));
        Assert.True(Zh.TryGet("word.origin.xigua", out var xigua));
        Assert.Equal("西瓜视频", xigua);
        Assert.Equal("1 day", En.Format("word.unit.day", 1));
        Assert.Equal("2 days", En.Format("word.unit.day", 2));
    }

    [Fact]
    public void The_old_homes_read_the_catalog()
    {
        Assert.Equal(En.Under("rule.").Order(StringComparer.Ordinal), Messages.Codes.Order(StringComparer.Ordinal));
        Assert.Equal(Zh["rule.ticket_closed"], Messages.Format("ticket_closed", null, Language.ZhCn));
        Assert.Equal(En["word.state.awaiting_code"], Words.Value("state", "awaiting_code", Language.En));
        Assert.Null(Words.Value("unit", "day", Language.En));
        Assert.DoesNotContain(Words.Known, k => k.Kind == "unit");
    }

    // Named arguments that hold words, not counts: "only {allowed} files" reads "only PNG, JPEG files".
    private static readonly HashSet<string> WordArguments = new(StringComparer.Ordinal) { "allowed", "kinds", "reasons" };

    /// <summary>
    /// A template with every placeholder given <paramref name="n"/> (a word for <see cref="WordArguments"/>):
    /// {0}-style through Format, {name}-style through Fill.
    /// </summary>
    private static string Filled(Texts texts, string key, int n)
    {
        var names = Texts.Placeholders(texts[key]);
        var count = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names.All(name => name.All(char.IsAsciiDigit))
            ? texts.Format(key, Enumerable.Repeat<object?>(n, 10).ToArray())
            : texts.Fill(key, names.ToDictionary(name => name, name => WordArguments.Contains(name) ? "PNG" : count, StringComparer.Ordinal));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found");
    }
}
