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
        ["origin_not_allowed"] = ("Accounts from {origin} cannot be bound under this policy.",
            "来自{origin}的账号不能在此规则下绑定。"),
        ["account_already_bound"] = ("The account is already {state} with shop {shopId}; an account can be bound to only one shop at a time.",
            "该账号已与店铺 {shopId} 处于{state}状态，一个账号同一时间只能被一个店铺绑定。"),
        ["account_already_bound_elsewhere"] = ("The account is already {state} with another shop; an account can be bound to only one shop at a time.",
            "该账号已与其他店铺处于{state}状态，一个账号同一时间只能被一个店铺绑定。"),
        ["capacity_full"] = ("The shop ({merchantType} merchant) can hold at most {limit} {role} {limit:account|accounts} at once; {used} {used:is|are} bound or invited.",
            "{merchantType}商家的店铺最多可绑定 {limit} 个{role}账号，目前已绑定或邀请 {used} 个。"),
        ["probation_capacity_full"] = ("During probation this shop can hold at most {limit} {role} {limit:account|accounts}, and {used} {used:is|are} bound or invited.",
            "考察期内该店铺最多可绑定 {limit} 个{role}账号，目前已绑定或邀请 {used} 个。"),
        ["channel_bind_quota_used"] = ("The shop has used {used} of {limit} channel {limit:bind|binds} in the last {window}.",
            "店铺在最近 {window}内已使用 {used}/{limit} 次渠道号绑定。"),
        ["invitation_expired"] = ("The invitation expired at {expiresAt}; invitations must be accepted within {ttl}.",
            "邀请已于 {expiresAt} 过期，需在 {ttl}内确认。"),
        ["invitation_not_pending"] = ("The invitation is {state} and can no longer be answered or cancelled.",
            "该邀请当前为{state}状态，无法再确认、拒绝或取消。"),
        ["binding_not_active"] = ("The binding is {state}; only an active binding can be unlinked.",
            "该绑定当前为{state}状态，只有生效中的绑定才能申请解绑。"),
        ["unbind_too_early"] = ("A binding can be undone only {minimum} after it became active.",
            "绑定生效满 {minimum}后才可解绑。"),
        ["official_unbinds_used"] = ("The shop has used {used} of its {limit} official account {limit:unbind|unbinds} over its whole history.",
            "店铺历史累计已使用 {used}/{limit} 次官方账号解绑机会。"),
        ["formal_payment_account"] = ("The account has upgraded to a formal payment account, so it cannot become a shop's official account.",
            "该账号已升级正式收款账户，无法绑定为店铺官方账号。"),
        ["unbind_by_application"] = ("Once bound, the {role} binding cannot be undone by either side: only an approved unbind application, the shop's closure or the account's deletion ends it.",
            "{role}账号绑定后双方均无法随意解绑，仅可通过解绑申请审核通过、店铺关店或账号注销解除。"),
        ["unbind_by_owner_confirmed"] = ("A {role} binding is undone by the account owner in binding management, after a confirmation.",
            "{role}绑定需由账号本人在“绑定管理”中确认后解绑。"),
        ["unbind_by_unlink_request"] = ("A {role} binding is undone by an unlink request that the shop approves.",
            "{role}绑定需由账号发起解绑申请并经店铺同意。"),
        ["unlink_not_pending"] = ("The unlink request is {state} and can no longer be approved or rejected.",
            "该解绑申请当前为{state}状态，无法再同意或拒绝。"),
        // DY-M1..M4: changing a shop's main account (主账户).
        ["main_account_same"] = ("The account {accountId} is already the shop's main account.",
            "账号 {accountId} 已是店铺的主账户。"),
        ["main_account_change_open"] = ("A change of the main account to {accountId} is already waiting for its code until {windowEndsAt}; cancel it or let it run out first.",
            "已有一个更换主账户为 {accountId} 的申请在等待验证码（截止 {windowEndsAt}），请先取消或等待其过期。"),
        ["main_account_candidate_not_found"] = ("There is no account {accountId}; the new main account must be an existing account.",
            "账号 {accountId} 不存在，新主账户必须是已注册的账号。"),
        ["main_account_candidate_not_normal"] = ("The new main account's status is {status}; only an account in normal status can become the main account.",
            "新主账户状态为 {status}，只有状态正常的账号才能成为主账户。"),
        ["main_account_candidate_not_verified"] = ("The new main account must be real-name verified.",
            "新主账户须已完成实名认证。"),
        ["main_account_candidate_no_phone"] = ("The new main account has no phone number to receive the verification code.",
            "新主账户未绑定手机号，无法接收验证码。"),
        ["main_account_waiting_period"] = ("The main account was changed at {changedAt}; it can be changed again only {minimum} later.",
            "主账户已于 {changedAt} 更换，需等待 {minimum}后才能再次更换。"),
        ["main_account_changes_used"] = ("The shop has changed its main account {used} {used:time|times} in the last {window}; at most {limit} {limit:change is|changes are} allowed.",
            "店铺最近 {window}内已更换主账户 {used} 次，最多允许 {limit} 次。"),
        ["main_account_change_locked"] = ("After {maxWrongCodes} wrong {maxWrongCodes:code|codes}, main-account changes of this shop are locked until {lockedUntil}.",
            "验证码错误已达 {maxWrongCodes} 次，店铺的主账户更换已锁定至 {lockedUntil}。"),
        ["main_account_change_window_passed"] = ("The change had to be completed within {ttl} of its start, by {windowEndsAt}; start a new change.",
            "更换需在发起后 {ttl}内完成（截止 {windowEndsAt}），请重新发起。"),
        ["main_account_change_not_pending"] = ("The main-account change is {state}; it can no longer be verified, resent or cancelled.",
            "该主账户更换当前为{state}状态，无法再验证、重发验证码或取消。"),
        ["main_account_code_expired"] = ("The verification code expired at {expiresAt}; a code is valid for {ttl}. Ask for a new code.",
            "验证码已于 {expiresAt} 过期（有效期 {ttl}），请重新获取验证码。"),
        ["main_account_wrong_code"] = ("The verification code is wrong; {attemptsLeft} {attemptsLeft:attempt|attempts} left before changes are locked for {ttl}.",
            "验证码错误，还可尝试 {attemptsLeft} 次，否则主账户更换将被锁定 {ttl}。"),
        // DY-A1..A5: unbind applications (解绑申请) reviewed by staff.
        ["application_reason_unknown"] = ("The reason '{reason}' is not one of this policy's reasons: {reasons}.",
            "解绑原因“{reason}”无效，请从以下原因中选择：{reasons}。"),
        ["application_reason_text_required"] = ("The reason '{reason}' needs a description in reasonText.",
            "选择“{reason}”原因时须在 reasonText 中填写说明。"),
        ["application_reason_text_too_long"] = ("The reason text may be at most {limit} {limit:character|characters}.",
            "原因说明最多 {limit} 个字符。"),
        ["application_evidence_missing"] = ("The reason '{reason}' needs at least one evidence file of kind {kind}.",
            "“{reason}”原因须提供至少一份 {kind} 类证明材料。"),
        ["application_contact_name_invalid"] = ("Give a contact name of 1 to {limit} {limit:character|characters}.",
            "请填写联系人姓名（1 至 {limit} 个字符）。"),
        ["application_contact_phone_invalid"] = ("Give a contact phone number: 6 to 15 digits, optionally starting with +.",
            "请填写联系电话：6 至 15 位数字，可以 + 开头。"),
        ["application_open_exists"] = ("The binding already has an open unbind application ({applicationId}); a new one can be filed only after it is decided or withdrawn.",
            "该绑定已有一个处理中的解绑申请（{applicationId}），需在其审核结束或撤回后才能重新提交。"),
        ["application_under_review"] = ("The application is under review: it cannot be edited and no files can be added until the reviewer decides.",
            "申请审核中，在审核结果出来前不能修改，也不能补充材料。"),
        ["application_withdraw_in_review"] = ("The application is already under review and can no longer be withdrawn; wait for the reviewer's decision.",
            "申请已进入审核，无法撤回，请等待审核结果。"),
        ["application_closed"] = ("The application is {state}; it can no longer be changed or withdrawn.",
            "该申请当前为{state}状态，无法再修改或撤回。"),
        ["application_not_submitted"] = ("The application is {state}; only a submitted application can be taken into review.",
            "该申请当前为{state}状态，只有已提交的申请才能开始审核。"),
        ["application_not_under_review"] = ("The application is {state}; only an application under review can be approved or rejected.",
            "该申请当前为{state}状态，只有审核中的申请才能通过或驳回。"),
        ["application_binding_not_active"] = ("The binding is {state}, so the application can no longer end it; reject the application instead.",
            "该绑定当前为{state}状态，申请已无法解除绑定，请驳回该申请。"),
        ["evidence_kind_unknown"] = ("'{kind}' is not an evidence kind; name each file's form field one of: {kinds}.",
            "“{kind}”不是有效的材料类型，文件的表单字段名须为以下之一：{kinds}。"),
        ["evidence_too_many"] = ("An application holds at most {limit} evidence {limit:file|files}; it has {attached} and {adding} more {adding:was|were} sent.",
            "每个申请最多 {limit} 份证明材料，已有 {attached} 份，本次又提交了 {adding} 份。"),
        ["evidence_type_not_allowed"] = ("The file {fileName} is not accepted: its content type is {detected}, its extension {extension}; only {allowed} files whose extension matches their content are accepted.",
            "文件 {fileName} 不被接受：内容格式为{detected}，扩展名为{extension}；仅接受 {allowed} 格式且扩展名与内容一致的文件。"),
        ["evidence_too_large"] = ("The file {fileName} is larger than the limit of {limit}.",
            "文件 {fileName} 超过了 {limit} 的大小限制。"),
        // X-3 / TS-E7: support tickets and the account data support may correct.
        ["ticket_closed"] = ("The ticket is closed; open a new ticket if the binding still needs help.",
            "该工单已关闭，如仍需帮助请新建工单。"),
        ["support_cannot_fix_status"] = ("The account's status is {status}; support cannot correct an account in abnormal status.",
            "该账号状态为{status}，客服无法处理状态异常的账号。"),
        ["support_cannot_fix_country"] = ("The account is registered in {country}; support cannot correct accounts registered there.",
            "该账号注册地为 {country}，客服无法修改该地区注册的账号。"),
        ["correction_changes_nothing"] = ("The correction changes nothing: give a new registrationCountry or birthDate.",
            "本次更正未修改任何内容，请提供新的注册国家/地区或出生日期。"),
        // DY-D4 / DY-D5: customer-service sub accounts (客服子账号).
        ["agent_not_normal"] = ("The account's status is {status}; only an account in normal status can serve customers as a sub account.",
            "该账号状态为{status}，只有状态正常的账号才能作为客服子账号。"),
        ["agent_not_enterprise"] = ("The account {accountId} is not a certified enterprise account; only those can be sub accounts.",
            "账号 {accountId} 不是认证企业号，只有认证企业号才能成为子账号。"),
        ["agent_is_main_account"] = ("The account {accountId} is the shop's main account; customer service is done by sub accounts.",
            "账号 {accountId} 是店铺主账号，客服应由子账号承担。"),
        // DY-D1 / DY-D4: authorizing a sub account (主账号授权子账号).
        ["delegation_party_not_enterprise"] = ("The {side} account {accountId} is not a certified enterprise account; both parties of an authorization must be.",
            "{side}账号 {accountId} 不是认证企业号，授权双方均须为认证企业号。"),
        ["delegation_party_certification_expired"] = ("The {side} account {accountId}'s enterprise certification expired at {expiredAt}; it must pass its annual review first.",
            "{side}账号 {accountId} 的企业认证已于 {expiredAt} 过期，需先完成年审。"),
        ["delegation_party_not_normal"] = ("The {side} account {accountId} is {status}; both parties of an authorization must be in normal status.",
            "{side}账号 {accountId} 状态为{status}，授权双方均须为正常状态。"),
        ["permission_owner_not_delegable"] = ("The owner permission is never delegable: it stays with the main account.",
            "所有者（owner）权限不可授予子账号，只属于主账号。"),
        ["permission_finance_not_delegable"] = ("The finance permission is not delegable: the operator of this service does not allow it.",
            "本服务的运营方未开放财务（finance）权限授权，无法授予子账号。"),
    };

    // Explanations: answers that are not failing rules (DY-O1, DY-O4, Z-4), said in both languages with the same
    // placeholders as reasons. Kept apart from the reason codes above, which each belong to a rule's denials.
    private static readonly Dictionary<string, (string En, string Zh)> Explanations = new(StringComparer.Ordinal)
    {
        // DY-O1: whose payment account receives the income.
        ["income_to_shop"] = ("At that instant the account was the shop's official account, sharing its qualification and payment account: income settles to the shop.",
            "该账号当时是店铺官方账号，与店铺共享资质和收款账户，带货收入结算至店铺收款账户。"),
        ["income_to_account"] = ("At that instant the account was not an official account sharing a shop's payment account: income settles to the account itself.",
            "该账号当时不是共享收款账户的店铺官方账号，收入结算至账号本人。"),
        // DY-O4: the "can sell" answer.
        ["sale_zero_commission"] = ("The bound account sells the shop's products at zero commission, shown as from its showcase.",
            "绑定账号推广本店商品0佣金，商品展示为来自该账号的橱窗。"),
        ["sale_own_commission_plan"] = ("Not bound to this shop in a zero-commission role: the product's own commission plan applies.",
            "未以免佣角色绑定本店：按商品的佣金计划结算。"),
        // Z-4 / TS-Q2: what accepting a swap of the official account does.
        ["swap_ends_binding"] = ("When the new account accepts, the current official binding of {accountId} ends at the same instant: the shop is never without one.",
            "新账号确认后，当前官方账号 {accountId} 的绑定即时结束，店铺不会出现没有官方账号的时刻。"),
        ["swap_spends_official_unbind"] = ("Spends 1 official unbind: {left} of {limit} left afterwards.",
            "将使用 1 次官方账号解绑机会，之后剩余 {left}/{limit} 次。"),
    };

    /// <summary>Every explanation key (for tests that fill and check each one).</summary>
    public static IEnumerable<string> ExplanationKeys => Explanations.Keys;

    /// <summary>The argument names an explanation uses, in either language.</summary>
    public static IReadOnlyList<string> ArgumentsOfExplanation(string key) =>
        Explanations.TryGetValue(key, out var pair)
            ? System.Text.RegularExpressions.Regex.Matches(pair.En + pair.Zh, @"\{([A-Za-z]+)(?::[^}]*)?\}")
                .Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>An explanation in <paramref name="language"/>, filled like a reason's message; an unknown key is returned as it is.</summary>
    public static string Explain(string key, IReadOnlyDictionary<string, string>? args, Language language) =>
        Explanations.TryGetValue(key, out var pair) ? Fill(language == Language.ZhCn ? pair.Zh : pair.En, args, language) : key;

    // Only these arguments hold durations; any other value (an id such as "P1D") is shown as it is.
    private static readonly HashSet<string> DurationArgs = new(StringComparer.Ordinal) { "ttl", "minimum", "window" };

    public static IEnumerable<string> Codes => Catalog.Keys;

    public static bool Has(string code) => Catalog.ContainsKey(code);

    /// <summary>The argument names a code's message uses, in either language (for tests that fill every one).</summary>
    public static IReadOnlyList<string> ArgumentsOf(string code) =>
        Catalog.TryGetValue(code, out var pair)
            ? System.Text.RegularExpressions.Regex.Matches(pair.En + pair.Zh, @"\{([A-Za-z]+)(?::[^}]*)?\}")
                .Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The names of the arguments that hold ISO 8601 durations (said in words in the messages).</summary>
    public static IReadOnlySet<string> DurationArguments => DurationArgs;

    public static string Format(string code, IReadOnlyDictionary<string, string>? args, Language language)
    {
        if (!Catalog.TryGetValue(code, out var pair))
        {
            return code;
        }
        return Fill(language == Language.ZhCn ? pair.Zh : pair.En, args, language);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string>? args, Language language)
    {
        if (args is null || args.Count == 0)
        {
            return template;
        }
        var sb = new StringBuilder(Words.Choose(template, args));
        foreach (var (key, value) in args)
        {
            var shown = DurationArgs.Contains(key) && IsoDuration.TryParse(value, out var d) ? Words.Duration(d, language)
                : Words.Value(key, value, language) ?? value;
            sb.Replace("{" + key + "}", shown);
        }
        return sb.ToString();
    }
}
