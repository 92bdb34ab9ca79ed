using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bindery.Domain;

/// <summary>
/// The one text catalog (ADR 0020): every word a person reads, one flat JSON file per language
/// (<c>Texts/en.json</c>, <c>Texts/zh-CN.json</c>, embedded in this assembly), key → template. Keys are grouped by
/// prefix: <c>rule.</c> rule messages, <c>problem.</c> problem titles, <c>detail.</c> problem details,
/// <c>thing.</c> the things a 404 names, <c>console.</c> the web console, <c>quota.</c> quota lines (TS-Q4),
/// <c>word.</c> durations and enum values.
/// Templates use <c>{name}</c> / <c>{name:one|other}</c> (rule messages, filled by <see cref="Fill"/>) or
/// <c>{0}</c> / <c>{0:one|other}</c> (filled by <see cref="Format"/>). Loaded once into a frozen dictionary.
/// </summary>
public sealed partial class Texts
{
    private static readonly Lazy<Texts> EnTexts = new(() => Load(Language.En, "en.json"));
    private static readonly Lazy<Texts> ZhTexts = new(() => Load(Language.ZhCn, "zh-CN.json"));

    private readonly FrozenDictionary<string, string> table;

    private Texts(Language language, FrozenDictionary<string, string> table)
    {
        Language = language;
        this.table = table;
    }

    public static Texts For(Language language) => language == Language.ZhCn ? ZhTexts.Value : EnTexts.Value;

    /// <summary>The languages there is a catalog for.</summary>
    public static IReadOnlyList<Language> Languages { get; } = [Language.En, Language.ZhCn];

    public Language Language { get; }

    /// <summary>Every key, in ordinal order.</summary>
    public IEnumerable<string> Keys => table.Keys.Order(StringComparer.Ordinal);

    /// <summary>The template of <paramref name="key"/>; a missing key reads ⟦key⟧, which the browser tests look for.</summary>
    public string this[string key] => table.TryGetValue(key, out var s) ? s : "⟦" + key + "⟧";

    public bool Has(string key) => table.ContainsKey(key);

    public bool TryGet(string key, out string value)
    {
        if (table.TryGetValue(key, out var found))
        {
            value = found;
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>The keys under <paramref name="prefix"/> ("rule.") without it, in ordinal order.</summary>
    public IEnumerable<string> Under(string prefix) =>
        Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]);

    /// <summary>
    /// Fills {0}, {1}…; <c>{0:one|other}</c> is the English word that agrees with the count in argument 0
    /// ("{0} {0:reason|reasons}" → "1 reason", "2 reasons"). Everything else is formatted invariantly.
    /// </summary>
    public string Format(string key, params object?[] args) => string.Format(Counting.Instance, this[key], args);

    /// <summary>
    /// Fills named placeholders <c>{name}</c> with <paramref name="args"/>[name] (after <paramref name="show"/>, when
    /// given) and plural choices <c>{name:one|other}</c> with the word that agrees with the number in args[name].
    /// </summary>
    public string Fill(string key, IReadOnlyDictionary<string, string>? args, Func<string, string, string>? show = null) =>
        FillTemplate(this[key], args, show);

    /// <summary><see cref="Fill"/> on a template rather than a key.</summary>
    public static string FillTemplate(string template, IReadOnlyDictionary<string, string>? args, Func<string, string, string>? show = null)
    {
        if (args is null || args.Count == 0)
        {
            return template;
        }
        var sb = new StringBuilder(Choose(template, args));
        foreach (var (name, value) in args)
        {
            sb.Replace("{" + name + "}", show is null ? value : show(name, value));
        }
        return sb.ToString();
    }

    /// <summary>The names of a template's placeholders (<c>{name}</c>, <c>{name:one|other}</c>, <c>{0}</c>), as a set.</summary>
    public static IReadOnlySet<string> Placeholders(string template) =>
        PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{([A-Za-z0-9]+)(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>
    /// Replaces plural choices <c>{name:one|other}</c> in <paramref name="template"/> with the word that agrees
    /// with the number in <paramref name="args"/>[name].
    /// </summary>
    internal static string Choose(string template, IReadOnlyDictionary<string, string> args)
    {
        if (!template.Contains('|', StringComparison.Ordinal))
        {
            return template;
        }
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, open - i);
            var inner = template.AsSpan(open + 1, close - open - 1);
            var colon = inner.IndexOf(':');
            var bar = inner.IndexOf('|');
            if (colon > 0 && bar > colon && args.TryGetValue(inner[..colon].ToString(), out var value))
            {
                // A value that is not a whole number (none in the catalog today) takes the plural.
                var n = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 2;
                sb.Append(Words.Plural(n, inner[(colon + 1)..bar].ToString(), inner[(bar + 1)..].ToString()));
            }
            else
            {
                sb.Append(template, open, close - open + 1);
            }
            i = close + 1;
        }
        return sb.ToString();
    }

    private static Texts Load(Language language, string file)
    {
        var name = "Bindery.Domain.Texts." + file;
        using var stream = typeof(Texts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("The text catalog " + name + " is not embedded.");
        var table = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException("The text catalog " + name + " is empty.");
        return new Texts(language, table.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Formats <c>{i:one|other}</c> as the word agreeing with a whole-number argument; everything else invariantly.</summary>
    private sealed class Counting : IFormatProvider, ICustomFormatter
    {
        public static readonly Counting Instance = new();

        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider)
        {
            if (format is not null && format.IndexOf('|', StringComparison.Ordinal) is var bar and > 0)
            {
                // A value that is not a whole number ("∞") takes the plural, as in Fill.
                var n = arg is int or long or short or byte or uint or ulong or ushort ? Convert.ToInt64(arg, CultureInfo.InvariantCulture) : 2;
                return Words.Plural(n, format[..bar], format[(bar + 1)..]);
            }
            return arg is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : arg?.ToString() ?? "";
        }
    }
}
