using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// The problem+json answers of unbind applications: a refused form is a 400 naming each field and the DY-A rule
/// behind it; a refused evidence file is a 415 (<c>evidence_type_not_allowed</c>) or 413 (<c>evidence_too_large</c>).
/// </summary>
public static class ApplicationProblems
{
    /// <summary>400 validation_failed with every failing DY-A1/DY-A5 reason, grouped by the form field at fault.</summary>
    public static Outcome Invalid(Decision decision, Language lang, Principal viewer, string defaultField = "form")
    {
        var reasons = ReasonView.For(decision, lang, viewer);
        var errors = decision.Reasons
            .Select((r, i) => (Field: r.Args is not null && r.Args.TryGetValue("field", out var f) ? f : defaultField, reasons[i].Message))
            .GroupBy(x => x.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray(), StringComparer.Ordinal);
        var detail = string.Join(" ", reasons.Select(r => $"[{r.Rule}] {r.Message}"));
        return Outcome.Problem(Problems.Make(400, "validation_failed", lang, detail, Rules(decision), reasons, errors));
    }

    /// <summary>DY-A5: a file refused while it was read: 415 for its type, 413 for its size, 400 otherwise.</summary>
    public static Outcome Evidence(Decision decision, Language lang, Principal viewer)
    {
        var code = decision.Reasons[0].Code;
        var status = code switch
        {
            "evidence_type_not_allowed" => 415,
            "evidence_too_large" => 413,
            _ => 0,
        };
        if (status == 0)
        {
            return Invalid(decision, lang, viewer, "files");
        }
        var reasons = ReasonView.For(decision, lang, viewer);
        var detail = string.Join(" ", reasons.Select(r => $"[{r.Rule}] {r.Message}"));
        return Outcome.Problem(Problems.Make(status, code, lang, detail, Rules(decision), reasons));
    }

    /// <summary>The whole request passed the server's body limit (more than a full set of files of the largest size).</summary>
    public static Outcome RequestTooLarge(Language lang, long limit) =>
        Outcome.Problem(Problems.Make(413, "evidence_too_large", lang,
            lang == Language.ZhCn
                ? $"请求体超过了 {UnbindApplications.Bytes(limit)} 的上限。"
                : $"The request is larger than the limit of {UnbindApplications.Bytes(limit)} for a full set of evidence files.",
            [UnbindApplications.Evidence]));

    public static Outcome NotMultipart(Language lang) =>
        Outcome.Problem(Problems.Make(415, "unsupported_media_type", lang,
            lang == Language.ZhCn
                ? "请以 multipart/form-data 表单提交：文本字段加上以材料类型命名的文件字段。"
                : "Send the form as multipart/form-data: the text fields, and each file under its evidence kind as the field name.")
            with { Title = lang == Language.ZhCn ? "请求体须为 multipart/form-data。" : "Send the body as multipart/form-data." });

    public static Outcome Malformed(Language lang, string detail) =>
        Outcome.Problem(Problems.Make(400, "malformed_request", lang, detail)
            with { Title = lang == Language.ZhCn ? "multipart 表单格式不正确。" : "The multipart form is malformed." });

    private static string[] Rules(Decision decision) => decision.Reasons.Select(r => r.Rule).Distinct().ToArray();
}
