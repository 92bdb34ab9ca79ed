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

    public static string Format(string code, IReadOnlyDictionary<string, string>? args, Language language) =>
        Fill(Prefix + code, code, args, language);

    // Explanations: answers that are not failing rules (DY-O1, DY-O4, Z-4), keys explain.<key>, filled like reasons.
    // Kept apart from the reason codes, which each belong to a rule's denials.
    private const string ExplainPrefix = "explain.";

    /// <summary>Every explanation key (for tests that fill and check each one).</summary>
    public static IEnumerable<string> ExplanationKeys => En.Under(ExplainPrefix);

    /// <summary>The argument names an explanation uses, in either language.</summary>
    public static IReadOnlyList<string> ArgumentsOfExplanation(string key) =>
        En.Has(ExplainPrefix + key)
            ? Texts.Languages.SelectMany(l => Texts.Placeholders(Texts.For(l)[ExplainPrefix + key])).Distinct(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>An explanation in <paramref name="language"/>, filled like a reason's message; an unknown key is returned as it is.</summary>
    public static string Explain(string key, IReadOnlyDictionary<string, string>? args, Language language) =>
        Fill(ExplainPrefix + key, key, args, language);

    private static string Fill(string catalogKey, string fallback, IReadOnlyDictionary<string, string>? args, Language language)
    {
        var texts = Texts.For(language);
        return !texts.Has(catalogKey) ? fallback
            : texts.Fill(catalogKey, args, (key, value) =>
                DurationArgs.Contains(key) && IsoDuration.TryParse(value, out var d) ? Words.Duration(d, language)
                    : Words.Value(key, value, language) ?? value);
    }
}
