using Bindery.Domain;
using Bindery.Domain.Tests;
using Bindery.Server.Pages;

namespace Bindery.Server.Tests;

/// <summary>
/// Every console text, filled with a count of one and of two in every slot, reads as words: no ISO duration, no
/// placeholder left, no "1 reasons" (through the console's own <c>T.F</c>; the catalog's test fills every template
/// of every prefix); and policy durations are said in words.
/// </summary>
public sealed class ConsoleWordsTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void Every_console_text_reads_as_words(string tag)
    {
        var lang = tag == "en" ? Language.En : Language.ZhCn;
        var t = Text.For(lang);
        foreach (var key in Texts.For(lang).Under("console."))
        {
            foreach (var n in new[] { 1, 2 })
            {
                var text = t.F(key, Enumerable.Repeat<object?>(n, 10).ToArray());
                Assert.DoesNotMatch(WordsPatterns.IsoDuration(), text);
                Assert.DoesNotMatch(WordsPatterns.Placeholder(), text);
                Assert.False(WordsPatterns.PluralError().IsMatch(text), $"{key}: {text}");
                Assert.DoesNotContain("⟦", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Console_counts_and_durations_are_words()
    {
        var en = Text.For(Language.En);
        Assert.Equal("This invitation cannot be sent (1 reason):", en.F("invite.check-refused", 1));
        Assert.Equal("This invitation cannot be sent (2 reasons):", en.F("invite.check-refused", 2));
        Assert.StartsWith("1 open application, 0 overdue", en.F("review.summary", 1, 0), StringComparison.Ordinal);
        Assert.Equal("24 hours", en.Duration(TimeSpan.FromHours(24)));
        Assert.Equal("5 minutes", en.Duration(TimeSpan.FromMinutes(5)));
        Assert.Equal("180 天", Text.For(Language.ZhCn).Duration(TimeSpan.FromDays(180)));
    }
}
