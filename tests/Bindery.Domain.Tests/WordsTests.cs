using System.Text.RegularExpressions;

namespace Bindery.Domain.Tests;

/// <summary>
/// Text meant for people says durations and enum values in words and gets English plurals right: every rule
/// message, in both languages, with sample values for every argument.
/// </summary>
public sealed class WordsTests
{
    private static Regex IsoDurationPattern() => WordsPatterns.IsoDuration();

    private static Regex Placeholder() => WordsPatterns.Placeholder();

    private static Regex PluralError() => WordsPatterns.PluralError();

    [Theory]
    [InlineData("PT5M", "5 minutes", "5 分钟")]
    [InlineData("PT30M", "30 minutes", "30 分钟")]
    [InlineData("PT1H", "1 hour", "1 小时")]
    [InlineData("PT24H", "24 hours", "24 小时")]
    [InlineData("PT48H", "48 hours", "48 小时")]
    [InlineData("PT1H30M", "1 hour 30 minutes", "1 小时 30 分钟")]
    [InlineData("P1D", "24 hours", "24 小时")]
    [InlineData("P7D", "7 days", "7 天")]
    [InlineData("P180D", "180 days", "180 天")]
    [InlineData("P3DT2H", "3 days 2 hours", "3 天 2 小时")]
    [InlineData("PT45S", "45 seconds", "45 秒")]
    public void A_duration_is_said_in_words(string iso, string en, string zh)
    {
        Assert.Equal(en, Words.Duration(IsoDuration.Parse(iso), Language.En));
        Assert.Equal(zh, Words.Duration(IsoDuration.Parse(iso), Language.ZhCn));
    }

    [Fact]
    public void A_count_takes_the_singular_only_for_one()
    {
        Assert.Equal("1 reason", Words.Count(1, "reason", "reasons"));
        Assert.Equal("0 reasons", Words.Count(0, "reason", "reasons"));
        Assert.Equal("2 reasons", Words.Count(2, "reason", "reasons"));
    }

    [Fact]
    public void Every_origin_has_a_name_in_both_languages()
    {
        foreach (var origin in Enum.GetValues<AccountOrigin>())
        {
            var en = Words.Origin(origin, Language.En);
            var zh = Words.Origin(origin, Language.ZhCn);
            Assert.NotEqual(Wire.Name(origin), en);
            Assert.False(string.IsNullOrWhiteSpace(zh));
        }
        Assert.Equal("Xigua Video", Words.Origin(AccountOrigin.Xigua, Language.En));
        Assert.Equal("西瓜视频", Words.Origin(AccountOrigin.Xigua, Language.ZhCn));
    }

    [Fact] // the issue: "xigua 来源的账号", "(1 reasons)"-style counts, "valid for PT5M"
    public void The_messages_people_saw_raw_now_read_as_words()
    {
        var origin = new Dictionary<string, string> { ["origin"] = "xigua" };
        Assert.Equal("Accounts from Xigua Video cannot be bound under this policy.", Messages.Format("origin_not_allowed", origin, Language.En));
        Assert.Equal("来自西瓜视频的账号不能在此规则下绑定。", Messages.Format("origin_not_allowed", origin, Language.ZhCn));
        var capacity = new Dictionary<string, string> { ["merchantType"] = "regular", ["limit"] = "1", ["role"] = "official", ["used"] = "1" };
        Assert.Equal("The shop (regular merchant) can hold at most 1 official account at once; 1 is bound or invited.",
            Messages.Format("capacity_full", capacity, Language.En));
        var code = new Dictionary<string, string> { ["expiresAt"] = "2026-03-04 08:00 UTC", ["ttl"] = "PT5M" };
        Assert.Equal("The verification code expired at 2026-03-04 08:00 UTC; a code is valid for 5 minutes. Ask for a new code.",
            Messages.Format("main_account_code_expired", code, Language.En));
    }

    public static TheoryData<string> Codes() => new(Messages.Codes);

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_rule_message_reads_as_words_in_both_languages(string code)
    {
        foreach (var count in new[] { "1", "2" })
        {
            foreach (var args in SampleArguments(code, count))
            {
                foreach (var language in new[] { Language.En, Language.ZhCn })
                {
                    var text = Messages.Format(code, args, language);
                    var shown = $"{code} ({language}, {string.Join(", ", args.Select(a => a.Key + "=" + a.Value))}): {text}";
                    Assert.DoesNotMatch(IsoDurationPattern(), text);
                    Assert.DoesNotMatch(Placeholder(), text);
                    Assert.DoesNotMatch(PluralError(), text);
                    foreach (var (kind, value) in Words.Known)
                    {
                        if (args.TryGetValue(kind, out var given) && given == value && (language == Language.ZhCn || value.Contains('_', StringComparison.Ordinal) || kind == "origin"))
                        {
                            Assert.False(Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(value)}(?![\w-])"), "raw wire value " + value + " in " + shown);
                        }
                    }
                }
            }
        }
    }

    public static TheoryData<string> ExplanationKeys() => new(Messages.ExplanationKeys);

    [Theory] // DY-O1, DY-O4, Z-4: explanations are words in both languages, every placeholder filled
    [MemberData(nameof(ExplanationKeys))]
    public void Every_explanation_reads_as_words_in_both_languages(string key)
    {
        foreach (var count in new[] { "1", "2" })
        {
            var args = Messages.ArgumentsOfExplanation(key).ToDictionary(n => n, n => Sample(n, count), StringComparer.Ordinal);
            var en = Messages.Explain(key, args, Language.En);
            var zh = Messages.Explain(key, args, Language.ZhCn);
            Assert.NotEqual(key, en);
            Assert.NotEqual(en, zh);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", zh);
            foreach (var text in new[] { en, zh })
            {
                Assert.DoesNotMatch(Placeholder(), text);
                Assert.DoesNotMatch(PluralError(), text);
            }
        }
    }

    /// <summary>Every argument filled: durations as ISO (as the engine sends them), counts as <paramref name="count"/>,
    /// and one set of arguments per wire value of each enum argument.</summary>
    private static IEnumerable<Dictionary<string, string>> SampleArguments(string code, string count)
    {
        var names = Messages.ArgumentsOf(code);
        var enumKinds = names.Where(n => Words.Known.Any(k => k.Kind == n)).ToArray();
        var baseArgs = names.ToDictionary(n => n, n => Sample(n, count), StringComparer.Ordinal);
        yield return baseArgs;
        foreach (var kind in enumKinds)
        {
            foreach (var (_, value) in Words.Known.Where(k => k.Kind == kind))
            {
                yield return new Dictionary<string, string>(baseArgs, StringComparer.Ordinal) { [kind] = value };
            }
        }
    }

    private static string Sample(string name, string count) => name switch
    {
        _ when Messages.DurationArguments.Contains(name) => "PT30M",
        "used" or "limit" or "left" or "attemptsLeft" or "maxWrongCodes" or "attached" or "adding" or "minimumAge" => count,
        "expiresAt" or "expiredAt" or "windowEndsAt" or "changedAt" or "lockedUntil" => "2026-03-04 08:00 UTC",
        "origin" => "xigua",
        "role" => "official",
        "merchantType" => "invited",
        "state" => "active",
        "status" => "normal",
        _ => "sample-" + name,
    };
}
