namespace Bindery.Domain.Tests;

/// <summary>Exact ISO 8601 durations used by policies: weeks, days, hours, minutes, seconds; no years or months.</summary>
public sealed class IsoDurationTests
{
    public static TheoryData<string, TimeSpan> Parsed => new()
    {
        { "PT48H", TimeSpan.FromHours(48) },
        { "PT24H", TimeSpan.FromHours(24) },
        { "P7D", TimeSpan.FromDays(7) },
        { "P180D", TimeSpan.FromDays(180) },
        { "P1W", TimeSpan.FromDays(7) },
        { "P1DT2H30M", new TimeSpan(1, 2, 30, 0) },
        { "PT90M", TimeSpan.FromMinutes(90) },
        { "PT1.5S", TimeSpan.FromMilliseconds(1500) },
        { "PT0.0001S", TimeSpan.FromTicks(1000) },
        { "PT0S", TimeSpan.Zero },
        { "pt48h", TimeSpan.FromHours(48) },
    };

    [Theory]
    [MemberData(nameof(Parsed))]
    public void Parses_exact_durations(string text, TimeSpan expected)
    {
        Assert.True(IsoDuration.TryParse(text, out var d));
        Assert.Equal(expected, d);
        Assert.Equal(expected, IsoDuration.Parse(text));
    }

    [Theory]
    [InlineData("P1Y")]      // years have no fixed length
    [InlineData("P1M")]      // months neither
    [InlineData("P1Y2M3D")]
    [InlineData("PT1D")]     // days are not a time part
    [InlineData("P1H")]      // hours are not a date part
    [InlineData("48h")]
    [InlineData("PT48")]     // no unit
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]     // a T must be followed by a time part
    [InlineData("PT1HT2M")]
    [InlineData("P-1D")]
    [InlineData("P1.2.3D")]
    [InlineData("P99999999999999999999999999W")] // too long, and never an exception
    [InlineData("P36600D")]  // beyond 100 years
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_inexact_or_malformed_text(string? text)
    {
        Assert.False(IsoDuration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.Zero, d);
    }

    [Fact]
    public void Parse_throws_a_FormatException_naming_the_text()
    {
        var e = Assert.Throws<FormatException>(() => IsoDuration.Parse("P1M"));

        Assert.Contains("'P1M'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "PT0S")]
    [InlineData(24 * TimeSpan.TicksPerHour, "PT24H")]
    [InlineData(48 * TimeSpan.TicksPerHour, "PT48H")]
    [InlineData(72 * TimeSpan.TicksPerHour, "P3D")]
    [InlineData(180 * TimeSpan.TicksPerDay, "P180D")]
    [InlineData(7 * TimeSpan.TicksPerDay, "P7D")]
    [InlineData(26 * TimeSpan.TicksPerHour + 3 * TimeSpan.TicksPerMinute, "PT26H3M")]
    [InlineData(74 * TimeSpan.TicksPerHour + 3 * TimeSpan.TicksPerMinute, "P3DT2H3M")]
    [InlineData(90 * TimeSpan.TicksPerMinute, "PT1H30M")]
    [InlineData(1500 * TimeSpan.TicksPerMillisecond, "PT1.5S")]
    public void Formats_as_days_and_time(long ticks, string expected)
    {
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    public static TheoryData<TimeSpan> Spans => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromMilliseconds(1500),
        TimeSpan.FromMilliseconds(123),
        TimeSpan.FromMinutes(90),
        TimeSpan.FromHours(48),
        TimeSpan.FromDays(180),
        new TimeSpan(3, 4, 5, 6, 789),
        TimeSpan.FromTicks(1000),
        TimeSpan.FromTicks(1),
        TimeSpan.FromTicks(TimeSpan.TicksPerSecond + 1),
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void Format_then_parse_round_trips(TimeSpan span)
    {
        var text = IsoDuration.Format(span);

        Assert.True(IsoDuration.TryParse(text, out var back), text);
        Assert.Equal(span, back);
    }

    [Theory]
    [InlineData("P3D")]
    [InlineData("PT48H")]
    [InlineData("P180D")]
    [InlineData("P3DT2H3M4.5S")]
    [InlineData("PT0.25S")]
    [InlineData("PT0S")]
    public void Canonical_text_round_trips_unchanged(string text)
    {
        Assert.Equal(text, IsoDuration.Format(IsoDuration.Parse(text)));
    }
}
