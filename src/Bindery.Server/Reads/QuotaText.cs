using System.Globalization;
using Bindery.Domain;

namespace Bindery.Server.Reads;

/// <summary>TS-Q4 in words: "2 of 3 official unbinds left", "next channel bind possible on 2027-03-02 08:00 UTC".</summary>
public static class QuotaText
{
    public static string Describe(QuotaLine q, Language lang)
    {
        var left = q.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "∞";
        var limit = q.Limit?.ToString(CultureInfo.InvariantCulture) ?? "∞";
        var next = q.NextSlotAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var zh = lang == Language.ZhCn;
        var text = q.Name switch
        {
            "official_capacity" => zh ? $"官方账号名额:剩余 {left}/{limit}" : $"{left} of {limit} official account slots free",
            "channel_capacity" => zh ? $"渠道账号名额:剩余 {left}/{limit}" : $"{left} of {limit} channel account slots free",
            "official_unbinds" => zh ? $"官方账号解绑次数:历史累计剩余 {left}/{limit}" : $"{left} of {limit} official unbinds left (lifetime)",
            "channel_binds" => zh ? $"渠道号绑定次数:{Window(q.Window, zh)}内剩余 {left}/{limit}" : $"{left} of {limit} channel binds left in any {Window(q.Window, zh)}",
            _ => $"{q.Name}: {q.Used}/{limit}",
        };
        if (next is not null)
        {
            text += q.Remaining == 0
                ? (zh ? $",下次可用时间 {next}" : $"; next possible on {next}")
                : (zh ? $",下一个名额释放于 {next}" : $"; another slot frees on {next}");
        }
        return text;
    }

    private static string Window(string iso, bool zh) =>
        IsoDuration.TryParse(iso, out var d) && d.TotalDays == Math.Floor(d.TotalDays)
            ? (zh ? $"{d.TotalDays:0}天" : $"{d.TotalDays:0} days")
            : iso;
}
