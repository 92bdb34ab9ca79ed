using System.Globalization;
using System.Text;

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
            parts.Add(Unit(days, "day", "days", "天", language));
        }
        if (hours != 0)
        {
            parts.Add(Unit(hours, "hour", "hours", "小时", language));
        }
        if (minutes != 0)
        {
            parts.Add(Unit(minutes, "minute", "minutes", "分钟", language));
        }
        if (seconds != 0 || (parts.Count == 0 && d >= TimeSpan.FromSeconds(1)))
        {
            parts.Add(Unit(seconds, "second", "seconds", "秒", language));
        }
        if (parts.Count == 0)
        {
            return Unit(0, "minute", "minutes", "分钟", language);
        }
        return string.Join(" ", parts);
    }

    /// <summary>A count and its noun: "1 reason", "2 reasons" (English); "1 reason" style is never used in Chinese.</summary>
    public static string Count(long n, string singular, string plural) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + Plural(n, singular, plural);

    /// <summary>The English word that agrees with <paramref name="n"/>: <paramref name="singular"/> for exactly one.</summary>
    public static string Plural(long n, string singular, string plural) => n == 1 ? singular : plural;

    private static string Unit(long n, string one, string many, string zh, Language language) =>
        language == Language.ZhCn ? n.ToString(CultureInfo.InvariantCulture) + " " + zh : Count(n, one, many);

    /// <summary>The name of an account origin (the app the account comes from).</summary>
    public static string Origin(AccountOrigin origin, Language language) => (origin, language) switch
    {
        (AccountOrigin.TikTok, _) => "TikTok",
        (AccountOrigin.Douyin, Language.ZhCn) => "抖音",
        (AccountOrigin.Douyin, _) => "Douyin",
        (AccountOrigin.Toutiao, Language.ZhCn) => "今日头条",
        (AccountOrigin.Toutiao, _) => "Toutiao",
        (AccountOrigin.Xigua, Language.ZhCn) => "西瓜视频",
        (AccountOrigin.Xigua, _) => "Xigua Video",
        (AccountOrigin.Huoshan, Language.ZhCn) => "抖音火山版",
        (AccountOrigin.Huoshan, _) => "Huoshan",
        _ => Wire.Name(origin),
    };

    /// <summary>
    /// The words for an enum wire value named by its kind ("role", "state", "status", "merchantType", "origin",
    /// "detected", "extension", "side"), or null when the kind or value has no words.
    /// </summary>
    public static string? Value(string kind, string value, Language language)
    {
        if (kind == "origin")
        {
            return Wire.TryParse<AccountOrigin>(value, out var o) ? Origin(o, language) : null;
        }
        if (language == Language.ZhCn)
        {
            return Zh.TryGetValue(kind + ":" + value, out var zh) ? zh : null;
        }
        return En.TryGetValue(kind + ":" + value, out var en) ? en
            : Zh.ContainsKey(kind + ":" + value) ? value.Replace('_', ' ') : null;
    }

    // Words for argument values, by argument name (the same value can mean different things).
    private static readonly Dictionary<string, string> Zh = new(StringComparer.Ordinal)
    {
        ["role:official"] = "官方", ["role:channel"] = "渠道", ["role:showcase"] = "橱窗",
        ["merchantType:regular"] = "普招", ["merchantType:invited"] = "定邀",
        ["status:normal"] = "正常", ["status:restricted"] = "受限", ["status:banned"] = "封禁",
        ["status:deleting"] = "注销中", ["status:closing"] = "关店中", ["status:closed"] = "已关闭",
        ["state:invited"] = "邀请中", ["state:active"] = "已绑定", ["state:unlink_requested"] = "解绑申请中",
        ["state:ended"] = "已解绑", ["state:declined"] = "已拒绝", ["state:cancelled"] = "已取消",
        ["state:expired"] = "已过期", ["state:pending"] = "待处理", ["state:approved"] = "已同意",
        ["state:rejected"] = "已拒绝", ["state:auto_approved"] = "已自动同意",
        ["state:awaiting_code"] = "待验证", ["state:completed"] = "已完成", ["state:locked"] = "已锁定",
        ["state:submitted"] = "已提交", ["state:under_review"] = "审核中", ["state:withdrawn"] = "已撤回",
        ["detected:unknown"] = "无法识别", ["extension:none"] = "无",
        ["side:main"] = "主", ["side:sub"] = "子",
    };

    // English: the wire value with spaces ("unlink_requested" → "unlink requested"), except where that reads wrong.
    private static readonly Dictionary<string, string> En = new(StringComparer.Ordinal)
    {
        ["state:auto_approved"] = "approved automatically", ["state:awaiting_code"] = "waiting for its code",
        ["detected:unknown"] = "unknown", ["extension:none"] = "none",
    };

    /// <summary>Every (kind, wire value) that has words, for tests.</summary>
    public static IEnumerable<(string Kind, string Value)> Known =>
        Zh.Keys.Select(k => k.Split(':', 2)).Select(p => (p[0], p[1]))
            .Concat(Wire.All<AccountOrigin>().Select(o => ("origin", o)));

    /// <summary>
    /// Replaces plural choices <c>{name:one|other}</c> in <paramref name="template"/> with the word that agrees
    /// with the number in <paramref name="args"/>[name].
    /// </summary>
    internal static string Choose(string template, IReadOnlyDictionary<string, string> args)
    {
        if (!template.Contains('|', StringComparison.Ordinal))
        {
            return template;
        }
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, open - i);
            var inner = template.AsSpan(open + 1, close - open - 1);
            var colon = inner.IndexOf(':');
            var bar = inner.IndexOf('|');
            if (colon > 0 && bar > colon && args.TryGetValue(inner[..colon].ToString(), out var value))
            {
                // A value that is not a whole number (none in the catalog today) takes the plural.
                var n = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 2;
                sb.Append(Plural(n, inner[(colon + 1)..bar].ToString(), inner[(bar + 1)..].ToString()));
            }
            else
            {
                sb.Append(template, open, close - open + 1);
            }
            i = close + 1;
        }
        return sb.ToString();
    }
}
