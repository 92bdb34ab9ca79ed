using System.Globalization;
using System.Text;

namespace Bindery.Domain;

/// <summary>
/// Exact ISO 8601 durations: weeks, days, hours, minutes and (fractional) seconds, e.g. <c>PT48H</c>, <c>P180D</c>.
/// Years and months are refused because they have no fixed length (durations in policies are exact wall time).
/// </summary>
public static class IsoDuration
{
    private const decimal MaxSeconds = 100m * 365m * 86400m;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length < 3 || (text[0] != 'P' && text[0] != 'p'))
        {
            return false;
        }
        var total = 0m;
        var inTime = false;
        var any = false;
        var i = 1;
        while (i < text.Length)
        {
            var c = char.ToUpperInvariant(text[i]);
            if (c == 'T')
            {
                if (inTime)
                {
                    return false;
                }
                inTime = true;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }
            if (i == start || i == text.Length)
            {
                return false;
            }
            if (!decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }
            var unit = char.ToUpperInvariant(text[i]);
            decimal seconds = (inTime, unit) switch
            {
                (false, 'W') => 7m * 86400m,
                (false, 'D') => 86400m,
                (true, 'H') => 3600m,
                (true, 'M') => 60m,
                (true, 'S') => 1m,
                _ => -1m,
            };
            // n ≤ the cap keeps n * seconds far from decimal overflow (which would throw instead of answering false).
            if (seconds < 0 || n > MaxSeconds)
            {
                return false;
            }
            total += n * seconds;
            if (total > MaxSeconds)
            {
                return false;
            }
            any = true;
            i++;
        }
        // A 'T' must be followed by at least one time part ("P1DT" is not a duration).
        if (!any || char.ToUpperInvariant(text[^1]) == 'T')
        {
            return false;
        }
        duration = TimeSpan.FromTicks((long)(total * TimeSpan.TicksPerSecond));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not an exact ISO 8601 duration such as PT48H or P180D.");

    /// <summary>
    /// Formats as days/hours/minutes/seconds, e.g. <c>P7D</c>, <c>P3DT2H</c>; under 72 hours as hours, e.g.
    /// <c>PT24H</c>, <c>PT48H</c>, the way the rules are published ("48 h to accept", "24 h before an unbind").
    /// </summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "PT0S";
        }
        var sb = new StringBuilder("P");
        var inHours = d < TimeSpan.FromHours(72);
        var hours = inHours ? (long)d.TotalHours : d.Hours;
        if (!inHours && d.Days != 0)
        {
            sb.Append(d.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        }
        // Sub-second ticks, down to 100 ns, so that every TimeSpan round-trips through Parse.
        var fraction = d.Ticks % TimeSpan.TicksPerSecond;
        if (hours != 0 || d.Minutes != 0 || d.Seconds != 0 || fraction != 0)
        {
            sb.Append('T');
            if (hours != 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            }
            if (d.Minutes != 0)
            {
                sb.Append(d.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            }
            if (d.Seconds != 0 || fraction != 0)
            {
                var s = d.Seconds + (fraction / (decimal)TimeSpan.TicksPerSecond);
                sb.Append(s.ToString(CultureInfo.InvariantCulture)).Append('S');
            }
        }
        return sb.ToString();
    }
}
