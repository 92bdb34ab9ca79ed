namespace Bindery.Domain;

public enum Language { En, ZhCn }

/// <summary>
/// Rule messages: every reason code in English and Simplified Chinese, read from the text catalog
/// (<see cref="Texts"/>, keys <c>rule.&lt;code&gt;</c>). Placeholders are {name}, filled from the reason's arguments.
/// A test checks that both languages have the same codes and placeholders.
/// </summary>
public static class Messages
{
    private const string Prefix = "rule.";

    private static readonly Texts En = Texts.For(Language.En);

    // Only these arguments hold durations; any other value (an id such as "P1D") is shown as it is.
    private static readonly HashSet<string> DurationArgs = new(StringComparer.Ordinal) { "ttl", "minimum", "window" };

    public static IEnumerable<string> Codes => En.Under(Prefix);

    public static bool Has(string code) => En.Has(Prefix + code);

    /// <summary>The argument names a code's message uses, in either language (for tests that fill every one).</summary>
    public static IReadOnlyList<string> ArgumentsOf(string code) =>
        Has(code)
            ? Texts.Languages.SelectMany(l => Texts.Placeholders(Texts.For(l)[Prefix + code])).Distinct(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The names of the arguments that hold ISO 8601 durations (said in words in the messages).</summary>
    public static IReadOnlySet<string> DurationArguments => DurationArgs;

    public static string Format(string code, IReadOnlyDictionary<string, string>? args, Language language)
    {
        var texts = Texts.For(language);
        return !texts.Has(Prefix + code) ? code
            : texts.Fill(Prefix + code, args, (key, value) =>
                DurationArgs.Contains(key) && IsoDuration.TryParse(value, out var d) ? Words.Duration(d, language)
                    : Words.Value(key, value, language) ?? value);
    }
}
