using System.Globalization;

namespace Bindery.Domain;

/// <summary>
/// How values are said to a person: durations in words ("5 minutes" / "5 分钟", never <c>PT5M</c>), English counts
/// with the right plural ("1 reason", "2 reasons") and enum wire values as names ("Xigua Video" / "西瓜视频").
/// Machine-readable fields (API JSON, reason arguments) keep the ISO and wire forms; only text meant for people
/// goes through here.
/// </summary>
public static class Words
{
    /// <summary>
    /// A duration in words, in the units the rules are published in: under 72 hours as hours (and minutes), else as
    /// days (and hours, minutes). Zero is "0 minutes" / "0 分钟".
    /// </summary>
    public static string Duration(TimeSpan d, Language language)
    {
        if (d < TimeSpan.Zero)
        {
            d = d.Negate();
        }
        var inHours = d < TimeSpan.FromHours(72);
        var days = inHours ? 0L : (long)d.TotalDays;
        var hours = inHours ? (long)d.TotalHours : d.Hours;
        var minutes = d.Minutes;
        var seconds = d.Seconds;
        var parts = new List<string>(4);
        if (days != 0)
        {
            parts.Add(Unit(days, "day", language));
        }
        if (hours != 0)
        {
            parts.Add(Unit(hours, "hour", language));
        }
        if (minutes != 0)
        {
            parts.Add(Unit(minutes, "minute", language));
        }
        if (seconds != 0 || (parts.Count == 0 && d >= TimeSpan.FromSeconds(1)))
        {
            parts.Add(Unit(seconds, "second", language));
        }
        if (parts.Count == 0)
        {
            return Unit(0, "minute", language);
        }
        return string.Join(" ", parts);
    }

    /// <summary>A count and its noun: "1 reason", "2 reasons" (English); "1 reason" style is never used in Chinese.</summary>
    public static string Count(long n, string singular, string plural) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + Plural(n, singular, plural);

    /// <summary>The English word that agrees with <paramref name="n"/>: <paramref name="singular"/> for exactly one.</summary>
    public static string Plural(long n, string singular, string plural) => n == 1 ? singular : plural;

    // "{0} {0:day|days}" / "{0} 天": the catalog's word.unit.<unit>.
    private static string Unit(long n, string unit, Language language) => Texts.For(language).Format("word.unit." + unit, n);

    /// <summary>The name of an account origin (the app the account comes from): the catalog's word.origin.&lt;wire&gt;.</summary>
    public static string Origin(AccountOrigin origin, Language language) =>
        Texts.For(language).TryGet("word.origin." + Wire.Name(origin), out var name) ? name : Wire.Name(origin);

    /// <summary>
    /// The words for an enum wire value named by its kind ("role", "state", "status", "merchantType", "origin",
    /// "detected", "extension", "side"): the catalog's word.&lt;kind&gt;.&lt;value&gt;, or null when the kind or value has no words.
    /// </summary>
    public static string? Value(string kind, string value, Language language) =>
        kind != UnitKind && Texts.For(language).TryGet("word." + kind + "." + value, out var words) ? words : null;

    // word.unit.<unit> are the duration units, not enum values.
    private const string UnitKind = "unit";

    /// <summary>Every (kind, wire value) that has words, for tests.</summary>
    public static IEnumerable<(string Kind, string Value)> Known =>
        Texts.For(Language.En).Under("word.").Select(k => k.Split('.', 2)).Where(p => p[0] != UnitKind).Select(p => (p[0], p[1]));
}
