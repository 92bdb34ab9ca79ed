using System.Text;

namespace Bindery.Domain;

public enum Language { En, ZhCn }

/// <summary>
/// The message catalog: every reason code in English and Simplified Chinese. Placeholders are {name}, filled from
/// the reason's arguments. A test checks that every code has both languages.
/// </summary>
public static class Messages
{
    private static readonly Dictionary<string, (string En, string Zh)> Catalog = new(StringComparer.Ordinal)
    {
        ["shop_not_normal"] = ("The shop's status is {status}; only a shop in normal status can bind accounts.",
            "店铺状态为 {status}，只有状态正常的店铺才能绑定账号。"),
        ["shop_ecommerce_revoked"] = ("The shop's e-commerce permission has been revoked for violations, so it cannot bind accounts.",
            "店铺因经营行为违规，电商权限已被回收，无法绑定账号。"),
        ["account_not_normal"] = ("The account's status is {status}; only an account in normal status can be bound. Support cannot change this.",
            "账号状态为 {status}，只有状态正常的账号才能绑定，客服无法处理此问题。"),
        ["account_under_age"] = ("The account holder must be at least {minimumAge} years old.",
            "账号使用者需年满 {minimumAge} 周岁。"),
        ["account_country_mismatch"] = ("The account is registered in {accountCountry} but the shop is in {shopCountry}; they must be the same.",
            "账号注册国家（{accountCountry}）与店铺所在国家（{shopCountry}）不一致。"),
        ["caller_country_mismatch"] = ("Your network address is in {callerCountry}, not in the shop's operating country {shopCountry}.",
            "当前网络地址所在国家（{callerCountry}）与店铺经营国家（{shopCountry}）不一致。"),
        ["caller_country_unknown"] = ("The country of your network address is unknown; it must be the shop's operating country {shopCountry}.",
            "无法识别当前网络地址所在国家，需与店铺经营国家（{shopCountry}）一致。"),
        ["origin_not_allowed"] = ("Accounts of {origin} origin cannot be bound under this policy.",
            "{origin} 来源的账号不能在此规则下绑定。"),
        ["account_already_bound"] = ("The account is already {state} with shop {shopId}; an account can be bound to only one shop at a time.",
            "该账号已与店铺 {shopId} 处于{state}状态，一个账号同一时间只能被一个店铺绑定。"),
        ["account_already_bound_elsewhere"] = ("The account is already {state} with another shop; an account can be bound to only one shop at a time.",
            "该账号已与其他店铺处于{state}状态，一个账号同一时间只能被一个店铺绑定。"),
        ["capacity_full"] = ("The shop ({merchantType} merchant) can hold at most {limit} {role} account(s) at once; {used} are bound or invited.",
            "{merchantType}商家的店铺最多可绑定 {limit} 个{role}账号，目前已绑定或邀请 {used} 个。"),
        ["probation_capacity_full"] = ("During probation this shop can hold at most {limit} {role} account(s), and {used} are bound or invited.",
            "考察期内该店铺最多可绑定 {limit} 个{role}账号，目前已绑定或邀请 {used} 个。"),
        ["channel_bind_quota_used"] = ("The shop has used {used} of {limit} channel binds in the last {window}.",
            "店铺在最近{window}内已使用 {used}/{limit} 次渠道号绑定。"),
        ["invitation_expired"] = ("The invitation expired at {expiresAt}; invitations must be accepted within {ttl}.",
            "邀请已于 {expiresAt} 过期，需在{ttl}内确认。"),
        ["invitation_not_pending"] = ("The invitation is {state} and can no longer be answered or cancelled.",
            "该邀请当前为{state}状态，无法再确认、拒绝或取消。"),
        ["binding_not_active"] = ("The binding is {state}; only an active binding can be unlinked.",
            "该绑定当前为{state}状态，只有生效中的绑定才能申请解绑。"),
        ["unbind_too_early"] = ("A binding can be undone only {minimum} after it became active.",
            "绑定生效满{minimum}后才可解绑。"),
        ["official_unbinds_used"] = ("The shop has used {used} of its {limit} official account unbinds over its whole history.",
            "店铺历史累计已使用 {used}/{limit} 次官方账号解绑机会。"),
        ["formal_payment_account"] = ("The account has upgraded to a formal payment account, so it cannot become a shop's official account.",
            "该账号已升级正式收款账户，无法绑定为店铺官方账号。"),
        ["unbind_by_application"] = ("Once bound, a {role} binding cannot be undone by either side: only an approved unbind application, the shop's closure or the account's deletion ends it.",
            "{role}账号绑定后双方均无法随意解绑，仅可通过解绑申请审核通过、店铺关店或账号注销解除。"),
        ["unbind_by_owner_confirmed"] = ("A {role} binding is undone by the account owner in binding management, after a confirmation.",
            "{role}绑定需由账号本人在“绑定管理”中确认后解绑。"),
        ["unbind_by_unlink_request"] = ("A {role} binding is undone by an unlink request that the shop approves.",
            "{role}绑定需由账号发起解绑申请并经店铺同意。"),
        ["unlink_not_pending"] = ("The unlink request is {state} and can no longer be approved or rejected.",
            "该解绑申请当前为{state}状态，无法再同意或拒绝。"),
    };

    // Chinese words for argument values, by argument name (the same value can mean different things).
    private static readonly Dictionary<string, string> ZhWords = new(StringComparer.Ordinal)
    {
        ["role:official"] = "官方", ["role:channel"] = "渠道", ["role:showcase"] = "橱窗",
        ["merchantType:regular"] = "普招", ["merchantType:invited"] = "定邀",
        ["status:normal"] = "正常", ["status:restricted"] = "受限", ["status:banned"] = "封禁",
        ["status:deleting"] = "注销中", ["status:closing"] = "关店中", ["status:closed"] = "已关闭",
        ["state:invited"] = "邀请中", ["state:active"] = "已绑定", ["state:unlink_requested"] = "解绑申请中",
        ["state:ended"] = "已解绑", ["state:declined"] = "已拒绝", ["state:cancelled"] = "已取消",
        ["state:expired"] = "已过期", ["state:pending"] = "待处理", ["state:approved"] = "已同意",
        ["state:rejected"] = "已拒绝", ["state:auto_approved"] = "已自动同意",
    };

    // Only these arguments hold durations; any other value (an id such as "P1D") is shown as it is.
    private static readonly HashSet<string> DurationArgs = new(StringComparer.Ordinal) { "ttl", "minimum", "window" };

    public static IEnumerable<string> Codes => Catalog.Keys;

    public static bool Has(string code) => Catalog.ContainsKey(code);

    public static string Format(string code, IReadOnlyDictionary<string, string>? args, Language language)
    {
        if (!Catalog.TryGetValue(code, out var pair))
        {
            return code;
        }
        var template = language == Language.ZhCn ? pair.Zh : pair.En;
        if (args is null || args.Count == 0)
        {
            return template;
        }
        var sb = new StringBuilder(template);
        foreach (var (key, value) in args)
        {
            var shown = value;
            if (language == Language.ZhCn)
            {
                if (ZhWords.TryGetValue(key + ":" + value, out var zh))
                {
                    shown = zh;
                }
                else if (DurationArgs.Contains(key) && IsoDuration.TryParse(value, out var d))
                {
                    shown = ZhDuration(d);
                }
            }
            else if (key is "state" or "status")
            {
                shown = value.Replace('_', ' ');
            }
            else if (DurationArgs.Contains(key) && IsoDuration.TryParse(value, out var d))
            {
                shown = EnDuration(d);
            }
            sb.Replace("{" + key + "}", shown);
        }
        return sb.ToString();
    }

    private static string EnDuration(TimeSpan d) =>
        d.TotalHours < 72 && d.TotalHours == Math.Floor(d.TotalHours) ? (d.TotalHours == 1 ? "1 hour" : $"{d.TotalHours:0} hours")
        : d.TotalDays == Math.Floor(d.TotalDays) ? (d.TotalDays == 1 ? "1 day" : $"{d.TotalDays:0} days")
        : IsoDuration.Format(d);

    private static string ZhDuration(TimeSpan d) =>
        d.TotalHours < 72 && d.TotalHours == Math.Floor(d.TotalHours) ? $"{d.TotalHours:0}小时"
        : d.TotalDays == Math.Floor(d.TotalDays) ? $"{d.TotalDays:0}天"
        : IsoDuration.Format(d);
}
