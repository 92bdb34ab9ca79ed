namespace Bindery.Domain;

/// <summary>
/// Working days for review deadlines (DY-A4): Monday to Friday in a fixed UTC offset, minus holidays, plus
/// make-up working days (调休, weekend days declared working days). Invariant: a date is never both a holiday and
/// a make-up working day.
/// </summary>
public sealed class BusinessCalendar
{
    public BusinessCalendar(TimeSpan utcOffset, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> extraWorkdays)
    {
        UtcOffset = utcOffset;
        Holidays = holidays.ToHashSet();
        ExtraWorkdays = extraWorkdays.ToHashSet();
        var both = Holidays.Intersect(ExtraWorkdays).ToArray();
        if (both.Length > 0)
        {
            throw new ArgumentException($"{both[0]:yyyy-MM-dd} is listed both as a holiday and as a working day.", nameof(extraWorkdays));
        }
    }

    public static readonly BusinessCalendar WeekdaysUtc = new(TimeSpan.Zero, [], []);

    public TimeSpan UtcOffset { get; }
    public IReadOnlySet<DateOnly> Holidays { get; }
    public IReadOnlySet<DateOnly> ExtraWorkdays { get; }

    public bool IsBusinessDay(DateOnly day) =>
        ExtraWorkdays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Contains(day));

    /// <summary>The local calendar day of an instant.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(UtcOffset).DateTime);

    /// <summary>
    /// The end (local midnight) of the <paramref name="days"/>-th business day after the day of <paramref name="from"/>:
    /// a form filed on a Friday afternoon with 3 business days is due at the end of Wednesday.
    /// </summary>
    public DateTimeOffset EndOfBusinessDaysAfter(DateTimeOffset from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = DayOf(from);
        var counted = 0;
        while (counted < days)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day))
            {
                counted++;
            }
        }
        return new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), UtcOffset);
    }
}
