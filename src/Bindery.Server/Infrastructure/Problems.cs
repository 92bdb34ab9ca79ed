using System.Text.Json;
using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Reads;

namespace Bindery.Server.Infrastructure;

public static class Lang
{
    /// <summary>Set by the web console to the language the person chose (ADR 0015); the API never sets it.</summary>
    public const string ChosenKey = "bindery.language";

    /// <summary>The console's chosen language if any, else zh-CN when the caller's Accept-Language prefers Chinese, else English.</summary>
    public static Language Of(HttpContext http)
    {
        if (http.Items.TryGetValue(ChosenKey, out var chosen) && chosen is Language language)
        {
            return language;
        }
        return FromHeader(http);
    }

    /// <summary>zh-CN when the caller's Accept-Language prefers Chinese, else English.</summary>
    public static Language FromHeader(HttpContext http)
    {
        var header = http.Request.Headers.AcceptLanguage.ToString();
        if (header.Length == 0)
        {
            return Language.En;
        }
        var best = Language.En;
        var bestQ = -1.0;
        foreach (var part in header.Split(','))
        {
            var pieces = part.Split(';');
            var tag = pieces[0].Trim();
            var q = 1.0;
            foreach (var p in pieces.Skip(1))
            {
                var kv = p.Trim();
                if (kv.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(kv[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    q = parsed;
                }
            }
            Language? lang = tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Language.ZhCn
                : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) || tag == "*" ? Language.En : null;
            if (lang is { } l && q > bestQ)
            {
                best = l;
                bestQ = q;
            }
        }
        return best;
    }
}

public static class Problems
{
    private static readonly Dictionary<string, (string En, string Zh)> Titles = new(StringComparer.Ordinal)
    {
        ["rule_denied"] = ("The action is refused by the binding rules.", "操作不符合绑定规则,已被拒绝。"),
        ["validation_failed"] = ("The request has invalid fields.", "请求中有无效字段。"),
        ["malformed_request"] = ("The request body is not valid JSON of the expected shape.", "请求体不是符合要求的 JSON。"),
        ["not_found"] = ("Not found.", "未找到。"),
        ["unauthorized"] = ("A valid bearer token is required.", "需要有效的访问令牌。"),
        ["forbidden"] = ("You may not do this.", "你无权执行此操作。"),
        ["conflict"] = ("The request conflicts with existing data.", "请求与现有数据冲突。"),
        ["idempotency_key_reused"] = ("This Idempotency-Key was already used with a different request.", "该幂等键已用于另一个不同的请求。"),
        ["method_not_allowed"] = ("This method is not allowed on this endpoint.", "该端点不允许此请求方法。"),
        ["request_too_large"] = ("The request body is too large for this endpoint.", "请求体超出该端点的大小限制。"),
        ["uri_too_long"] = ("The request target is too long.", "请求目标过长。"),
        ["request_headers_too_large"] = ("The request headers are too large.", "请求头过大。"),
        ["request_timeout"] = ("The request was not received in time.", "未能及时收到完整请求。"),
        ["unsupported_media_type"] = ("Send the body as application/json.", "请求体须为 application/json。"),
        ["internal_error"] = ("An unexpected error occurred; nothing was changed.", "发生意外错误,未做任何更改。"),
        ["not_available"] = ("This operation is not available in this mode.", "当前模式下不提供此操作。"),
        ["main_account_not_offered"] = ("This shop's policy has no main account to change.", "该店铺适用的规则不支持更换主账户。"),
        ["wrong_code"] = ("The verification code is wrong.", "验证码错误。"),
        ["change_locked"] = ("Too many wrong codes: the change is locked.", "验证码错误次数过多,更换已被锁定。"),
        ["write_contention"] = ("Too many concurrent changes to the same data; nothing was changed. Send the request again.", "同一数据的并发修改过多,未做任何更改。请重新发送请求。"),
        ["csrf_header_missing"] = ("A cookie-authenticated change must carry the X-Bindery-Csrf header.", "使用会话 Cookie 的修改请求必须带有 X-Bindery-Csrf 请求头。"),
        ["rate_limited"] = ("Too many requests; try again after the time in Retry-After.", "请求过于频繁,请在 Retry-After 所示时间后重试。"),
        ["sign_in_failed"] = ("Wrong username or password.", "用户名或密码错误。"),
        ["login_locked"] = ("Too many wrong passwords: this login is locked for a while.", "密码错误次数过多,该登录已被暂时锁定。"),
        ["username_taken"] = ("This username is taken.", "该用户名已被占用。"),
        ["no_delegation"] = ("The account holds no authorization from the shop's main account.", "该账号未获得店铺主账号的授权。"),
        ["delegation_exists"] = ("The main account already authorizes this sub account.", "主账号已授权该子账号。"),
        ["delegation_revoked"] = ("The authorization is already revoked.", "该授权已被撤销。"),
        ["delivery_pending"] = ("The delivery is already waiting to be sent.", "该投递已在等待发送。"),
        ["webhook_disabled"] = ("The webhook is disabled.", "该 Webhook 已停用。"),
        ["webhook_destination_forbidden"] = ("The webhook URL points to an internal address or a metadata service; webhooks go to public addresses only.", "Webhook 地址指向内部地址或元数据服务;Webhook 只能发往公网地址。"),
        ["webhook_destination_unresolvable"] = ("The webhook URL's host name does not resolve.", "Webhook 地址的主机名无法解析。"),
        ["not_ready"] = ("The service is not ready.", "服务尚未就绪。"),
        ["code_sender_unavailable"] = ("No way to send verification codes is configured; nothing was changed.", "未配置验证码发送方式,未做任何更改。"),
        ["support_not_offered"] = ("This shop's policy offers no support tickets.", "该店铺适用的规则不提供客服工单。"),
        ["ticket_already_open"] = ("A ticket about this account is already open for the shop.", "该店铺已有一个关于此账号的处理中工单。"),
        ["nothing_blocks"] = ("Nothing blocks this invitation now; no ticket is needed.", "当前没有阻止该邀请的规则,无需提交工单。"),
        ["binding_not_pending"] = ("The invitation no longer waits; a ticket needs a pending or refused invitation.", "该邀请已不在等待状态,工单须针对等待中或被拒绝的邀请。"),
        ["chat_group_unknown"] = ("No customer-service agent of the shop serves this group.", "店铺没有负责该分组的客服。"),
        ["use_lifecycle_endpoint"] = ("This status is set only by its lifecycle endpoint, which also ends the bindings; nothing was changed.",
            "该状态只能通过对应的生命周期接口设置（该接口会同时结束绑定），未做任何更改。"),
        ["chat_agent_exists"] = ("The account is already a customer-service agent of the shop.", "该账号已是店铺的客服。"),
        ["no_official_account"] = ("The shop has no official account to replace; invite one instead.", "店铺没有可替换的官方账号,请直接邀请。"),
        ["confirmation_invalid"] = ("The confirmation is missing, expired or for another request; ask for a new one.", "确认凭证缺失、已过期或不属于此请求,请重新获取。"),
        ["not_in_policy"] = ("This shop's policy does not offer this.", "该店铺适用的规则不提供此操作。"),
        ["evidence_type_not_allowed"] = ("The evidence file's type is not accepted.", "证明材料的文件类型不被接受。"),
        ["evidence_too_large"] = ("The evidence file is too large.", "证明材料文件过大。"),
        ["too_many_items"] = ("The bulk request has too many items.", "批量请求的条目过多。"),
    };

    /// <summary>Every problem code with its own title (English, Chinese).</summary>
    public static IReadOnlyDictionary<string, (string En, string Zh)> TitledCodes => Titles;

    public static ProblemBody Make(int status, string code, Language lang, string? detail = null,
        IReadOnlyList<string>? rules = null, IReadOnlyList<ReasonView>? reasons = null, IReadOnlyDictionary<string, string[]>? errors = null,
        DateTimeOffset? passesAt = null)
    {
        var (en, zh) = Titles.TryGetValue(code, out var t) ? t
            : (Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.",
                $"请求失败(HTTP {status.ToString(System.Globalization.CultureInfo.InvariantCulture)})。");
        var title = lang == Language.ZhCn ? zh : en;
        return new ProblemBody("urn:bindery:problem:" + code.Replace('_', '-'), title, status, detail ?? title, code, rules, reasons, errors, passesAt);
    }

    public static ProblemBody Validation(Language lang, IReadOnlyDictionary<string, string[]> errors) =>
        Make(400, "validation_failed", lang, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}")), errors: errors);

    public static ProblemBody Validation(Language lang, string field, string message) =>
        Validation(lang, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static ProblemBody NotFound(Language lang, string what) =>
        Make(404, "not_found", lang, lang == Language.ZhCn ? $"未找到该{ZhThing(what)}。" : $"No {what} with that id is visible to you.");

    /// <summary>The Chinese name of each kind of thing a 404 names (a test scans the source for every one).</summary>
    public static readonly IReadOnlyDictionary<string, string> Things = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["shop"] = "店铺", ["account"] = "账号", ["unbind application"] = "解绑申请", ["webhook"] = "Webhook", ["ticket"] = "工单",
        ["main-account change"] = "主账户更换申请", ["binding"] = "绑定", ["invitation"] = "邀请", ["unlink request"] = "解绑请求",
        ["token"] = "访问令牌", ["login"] = "登录账户", ["delivery"] = "投递", ["delegation"] = "授权", ["conversation"] = "会话",
        ["chat agent"] = "客服", ["evidence file"] = "证明材料", ["policy"] = "规则",
    };

    private static string ZhThing(string what) => Things.TryGetValue(what, out var zh) ? zh : what;

    /// <summary>The detail in the caller's language: every detail the server writes is given in both.</summary>
    public static string Say(Language lang, string en, string zh) => lang == Language.ZhCn ? zh : en;

    public static ProblemBody Unauthorized(Language lang) => Make(401, "unauthorized", lang);

    public static ProblemBody Forbidden(Language lang) => Make(403, "forbidden", lang);

    /// <summary>403 saying why, in the caller's language: every detail the server writes exists in both.</summary>
    public static ProblemBody Forbidden(Language lang, string en, string zh) => Make(403, "forbidden", lang, lang == Language.ZhCn ? zh : en);

    public static ProblemBody Conflict(Language lang, string en, string zh) => Make(409, "conflict", lang, lang == Language.ZhCn ? zh : en);

    /// <summary>
    /// 409 <c>use_lifecycle_endpoint</c> (DY-L1, DY-L2): a status the shop-closure or account-deletion lifecycle owns
    /// cannot be written by a plain edit, which would leave bindings live; <c>endpoint</c> names the one to use.
    /// </summary>
    public static ProblemBody UseLifecycleEndpoint(Language lang, string endpoint, string en, string zh) =>
        Make(409, "use_lifecycle_endpoint", lang, lang == Language.ZhCn ? zh : en) with
        {
            Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["endpoint"] = endpoint },
        };

    /// <summary>A rule denial: 409 with every failing rule, its message in the caller's language and when it passes.</summary>
    public static ProblemBody Denied(Decision decision, Language lang, Principal viewer)
    {
        var reasons = ReasonView.For(decision, lang, viewer);
        var detail = string.Join(" ", reasons.Select(r => $"[{r.Rule}] {r.Message}"));
        return Make(409, "rule_denied", lang, detail, decision.Reasons.Select(r => r.Rule).Distinct().ToArray(), reasons, passesAt: decision.AllPassAt);
    }

    public static Task Write(HttpContext http, ProblemBody body)
    {
        http.Response.StatusCode = body.Status;
        return http.Response.WriteAsJsonAsync(body, Json.Options, "application/problem+json", http.RequestAborted);
    }
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Chinese messages stay readable in the JSON instead of \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new UtcInstantConverter() },
    };

    /// <summary>Instants are written in UTC with a trailing Z.</summary>
    private sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>An answer: a status, a JSON body (problem+json for problems) and an optional Location.</summary>
public sealed record Outcome(int Status, object? Body, string? Location = null) : IResult
{
    public static Outcome Ok(object body) => new(200, body);

    public static Outcome Created(object body, string location) => new(201, body, location);

    public static Outcome Problem(ProblemBody problem) => new(problem.Status, problem);

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>
    /// A refusal whose staged changes still commit (DY-M4: a wrong code is refused, yet it counts towards the lock).
    /// Every other problem answer changes nothing.
    /// </summary>
    public bool CommitsChanges { get; init; }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (Body is ProblemBody p)
        {
            return Problems.Write(httpContext, p);
        }
        if (Body is ReplayedBody replay)
        {
            // Z-3: a retried request gets the first answer, byte for byte, marked as a replay.
            httpContext.Response.StatusCode = Status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (Location is not null)
            {
                httpContext.Response.Headers.Location = Location;
            }
            httpContext.Response.ContentType = Status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
            return httpContext.Response.WriteAsync(replay.Json, httpContext.RequestAborted);
        }
        httpContext.Response.StatusCode = Status;
        if (Location is not null)
        {
            httpContext.Response.Headers.Location = Location;
        }
        return Body is null ? Task.CompletedTask : httpContext.Response.WriteAsJsonAsync(Body, Body.GetType(), Json.Options, "application/json", httpContext.RequestAborted);
    }
}

/// <summary>A stored answer replayed verbatim for an idempotent retry.</summary>
public sealed record ReplayedBody(string Json);
