using System.Globalization;
using Bindery.Domain;

namespace Bindery.Server.Features.Shops;

/// <summary>
/// TS-Q4 in words: "2 of 3 official unbinds left", "next channel bind possible on 2027-03-02 08:00 UTC"; the texts are
/// the catalog's <c>quota.</c> keys (ADR 0020).
/// </summary>
public static class QuotaText
{
    public static string Describe(QuotaLine q, Language lang)
    {
        var texts = Texts.For(lang);
        // A count or ∞ (no limit), which takes the plural.
        object left = q.Remaining is { } r ? r : "∞";
        object limit = q.Limit is { } l ? l : "∞";
        var key = "quota." + q.Name;
        var text = texts.Has(key) ? texts.Format(key, left, limit, Window(q.Window, lang)) : $"{q.Name}: {q.Used}/{limit}";
        if (q.NextSlotAt is { } at)
        {
            var next = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            text += texts.Format(q.Remaining == 0 ? "quota.next-possible" : "quota.slot-frees", next);
        }
        return text;
    }

    private static string Window(string iso, Language lang) =>
        IsoDuration.TryParse(iso, out var d) ? Words.Duration(d, lang) : iso;
}
