using Bindery.Domain;

namespace Bindery.Server.Pages;

/// <summary>
/// Every visible string of the console, in English and in Chinese (zh-CN): the <c>console.</c> keys of the text
/// catalog (<see cref="Texts"/>, ADR 0020), which a test keeps the same in both languages; another fails when a page
/// uses a key that is not there. Rule messages are not here: they come from the catalog's <c>rule.</c> keys through
/// the API's reason views. A missing key renders as ⟦key⟧, which the browser tests look for.
/// </summary>
public sealed class Text
{
    private const string Prefix = "console.";

    private static readonly Text EnText = new(Texts.For(Language.En));
    private static readonly Text ZhText = new(Texts.For(Language.ZhCn));

    private readonly Texts texts;
    private readonly IReadOnlyDictionary<string, string> table;

    private Text(Texts texts)
    {
        this.texts = texts;
        table = texts.Under(Prefix).ToDictionary(k => k, k => texts[Prefix + k], StringComparer.Ordinal);
    }

    public static Text For(Language lang) => lang == Language.ZhCn ? ZhText : EnText;

    /// <summary>The console's keys (without <c>console.</c>) and their texts.</summary>
    public static IReadOnlyDictionary<string, string> Table(Language lang) => For(lang).table;

    public string this[string key] => texts.TryGet(Prefix + key, out var s) ? s : "⟦" + key + "⟧";

    /// <summary>
    /// Fills a text's {0}, {1}…; <c>{0:one|other}</c> is the English word that agrees with the count in argument 0
    /// ("{0} {0:reason|reasons}" → "1 reason", "2 reasons").
    /// </summary>
    public string F(string key, params object?[] args) => texts.Has(Prefix + key) ? texts.Format(Prefix + key, args) : this[key];

    /// <summary>"2 d 3 h left" / "剩余 2 天 3 小时"; "due now" when passed.</summary>
    public string Left(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return this["time.due-now"];
        }
        var d = (int)left.TotalDays;
        var h = left.Hours;
        var m = left.Minutes;
        var text = d > 0 ? F("time.dh", d, h) : h > 0 ? F("time.hm", h, m) : F("time.m", Math.Max(m, 1));
        return F("time.left", text);
    }

    /// <summary>A policy duration in words ("24 hours", "7 days" / "24 小时", "7 天"); zero is "no time".</summary>
    public string Duration(TimeSpan d) => d == TimeSpan.Zero ? this["time.none"] : Words.Duration(d, texts.Language);
}
