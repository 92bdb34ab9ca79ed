using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>
/// DY-A4: review due dates count business days on the Douyin preset's calendar: Monday to Friday at UTC+8, minus the
/// configured holidays, plus make-up working days (调休); a day is the local day, and a due date is its end.
/// </summary>
public sealed class BusinessCalendarTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static UnbindApplicationPolicy Applications => Douyin.UnbindApplication!;

    /// <summary>An instant written in Beijing time.</summary>
    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, China);

    [Fact] // DY-A4
    public void The_douyin_preset_reviews_within_3_to_5_business_days_at_UTC_plus_8_with_its_holidays()
    {
        Assert.Equal(3, Applications.ReviewMinBusinessDays);
        Assert.Equal(5, Applications.ReviewMaxBusinessDays);
        Assert.Equal(China, Applications.Calendar.UtcOffset);
        Assert.Contains(new DateOnly(2026, 10, 1), Applications.Calendar.Holidays);
        Assert.Contains(new DateOnly(2027, 1, 1), Applications.Calendar.Holidays);
        Assert.Empty(Applications.Calendar.ExtraWorkdays);
    }

    [Fact] // DY-A4: a Friday filing skips the weekend
    public void A_form_filed_on_a_Friday_afternoon_is_expected_between_the_end_of_Wednesday_and_the_end_of_Friday()
    {
        var friday = Beijing(2026, 3, 6, 15, 30);

        var (earliest, due) = UnbindApplications.ReviewWindow(Applications, friday);

        Assert.Equal(Beijing(2026, 3, 12, 0), earliest);   // the end of Wednesday 11 March
        Assert.Equal(Beijing(2026, 3, 14, 0), due);        // the end of Friday 13 March
        Assert.Equal(new DateTimeOffset(2026, 3, 13, 16, 0, 0, TimeSpan.Zero), due);
    }

    [Fact] // DY-A4: filed on a weekend, counting starts on Monday like a Friday filing
    public void A_form_filed_on_Saturday_is_due_when_one_filed_on_Friday_is()
    {
        Assert.Equal(
            UnbindApplications.ReviewWindow(Applications, Beijing(2026, 3, 6, 9)),
            UnbindApplications.ReviewWindow(Applications, Beijing(2026, 3, 7, 23, 59)));
    }

    [Fact] // DY-A4: the National Day holidays of the preset are not business days
    public void Holidays_from_the_douyin_preset_are_skipped()
    {
        var beforeNationalDay = Beijing(2026, 9, 30, 10);   // Wednesday; 1, 2, 5, 6, 7 October are holidays

        var (earliest, due) = UnbindApplications.ReviewWindow(Applications, beforeNationalDay);

        Assert.False(Applications.Calendar.IsBusinessDay(new DateOnly(2026, 10, 2)));
        Assert.False(Applications.Calendar.IsBusinessDay(new DateOnly(2026, 10, 5)));
        Assert.True(Applications.Calendar.IsBusinessDay(new DateOnly(2026, 10, 8)));
        Assert.Equal(Beijing(2026, 10, 13, 0), earliest);   // 8, 9, 12 October
        Assert.Equal(Beijing(2026, 10, 15, 0), due);        // 8, 9, 12, 13, 14 October
    }

    [Fact] // DY-A4: 调休, a weekend day declared a working day, counts
    public void An_extra_workday_on_a_Saturday_counts_as_a_business_day()
    {
        var holidays = Applications.Calendar.Holidays;
        var withMakeUpDay = Applications with
        {
            Calendar = new BusinessCalendar(China, holidays, [new DateOnly(2026, 10, 10)]),
        };

        var (earliest, due) = UnbindApplications.ReviewWindow(withMakeUpDay, Beijing(2026, 9, 30, 10));

        Assert.True(withMakeUpDay.Calendar.IsBusinessDay(new DateOnly(2026, 10, 10)));
        Assert.Equal(Beijing(2026, 10, 11, 0), earliest);   // 8, 9 and Saturday 10 October
        Assert.Equal(Beijing(2026, 10, 14, 0), due);        // then 12 and 13 October
    }

    [Fact] // DY-A4: a day that is both a holiday and a working day is a configuration error
    public void A_date_cannot_be_both_a_holiday_and_an_extra_workday()
    {
        var day = new DateOnly(2026, 10, 1);

        Assert.Throws<ArgumentException>(() => new BusinessCalendar(China, [day], [day]));
    }

    [Fact] // DY-A4: the day is the local (UTC+8) day, so 16:00 UTC on Thursday is already Friday
    public void The_day_boundary_is_midnight_at_UTC_plus_8_not_in_UTC()
    {
        var thursdayLastSecond = new DateTimeOffset(2026, 3, 5, 15, 59, 59, TimeSpan.Zero);   // Thursday 23:59:59 in Beijing
        var fridayFirstSecond = new DateTimeOffset(2026, 3, 5, 16, 0, 0, TimeSpan.Zero);      // Friday 00:00:00 in Beijing

        Assert.Equal(new DateOnly(2026, 3, 5), Applications.Calendar.DayOf(thursdayLastSecond));
        Assert.Equal(new DateOnly(2026, 3, 6), Applications.Calendar.DayOf(fridayFirstSecond));
        Assert.Equal(Beijing(2026, 3, 11, 0), UnbindApplications.ReviewWindow(Applications, thursdayLastSecond).Earliest);   // Fri, Mon, Tue
        Assert.Equal(Beijing(2026, 3, 12, 0), UnbindApplications.ReviewWindow(Applications, fridayFirstSecond).Earliest);    // Mon, Tue, Wed
    }

    [Fact] // DY-A4: overdue from the due instant on, and only while open
    public void An_open_application_is_overdue_from_its_due_instant_and_a_decided_one_never()
    {
        var (_, due) = UnbindApplications.ReviewWindow(Applications, T0);

        Assert.False(UnbindApplications.IsOverdue(ApplicationState.Submitted, due, due - Tick));
        Assert.True(UnbindApplications.IsOverdue(ApplicationState.Submitted, due, due));
        Assert.True(UnbindApplications.IsOverdue(ApplicationState.UnderReview, due, due + Days(30)));
        Assert.False(UnbindApplications.IsOverdue(ApplicationState.Approved, due, due + Days(1)));
        Assert.False(UnbindApplications.IsOverdue(ApplicationState.Rejected, due, due + Days(1)));
        Assert.False(UnbindApplications.IsOverdue(ApplicationState.Withdrawn, due, due + Days(1)));
    }

    [Fact] // DY-A4: the test clock's start (Monday 16:00 in Beijing) is due at the end of the next Monday
    public void A_Monday_filing_is_due_at_the_end_of_the_following_Monday()
    {
        var (earliest, due) = UnbindApplications.ReviewWindow(Applications, T0);

        Assert.Equal(new DateTimeOffset(2026, 3, 5, 16, 0, 0, TimeSpan.Zero), earliest);   // end of Thursday 5 March, Beijing
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 16, 0, 0, TimeSpan.Zero), due);        // end of Monday 9 March, Beijing
    }
}
