using Bindery.Domain;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// The refusals of unbind applications: a refused form names each field and the DY-A rule behind it; a refused
/// evidence file is refused for its type (<c>evidence_type_not_allowed</c>) or its size (<c>evidence_too_large</c>).
/// </summary>
public static class ApplicationProblems
{
    /// <summary>Invalid fields: every failing DY-A1/DY-A5 reason, grouped by the form field at fault.</summary>
    public static Result Invalid(Decision decision, string defaultField = "form") => Result.Invalid(decision, defaultField);

    /// <summary>DY-A5: a file refused while it was read: for its type, for its size, or as an invalid field otherwise.</summary>
    public static Result Evidence(Decision decision)
    {
        var code = decision.Reasons[0].Code;
        return code is "evidence_type_not_allowed" or "evidence_too_large"
            ? new RefusedResult(code, null) { Decision = decision }
            : Invalid(decision, "files");
    }

    /// <summary>The whole request passed the server's body limit (more than a full set of files of the largest size).</summary>
    public static Result RequestTooLarge(long limit) =>
        new RefusedResult("evidence_too_large", new Say(
            $"The request is larger than the limit of {UnbindApplications.Bytes(limit)} for a full set of evidence files.",
            $"请求体超过了 {UnbindApplications.Bytes(limit)} 的上限。"))
        {
            RuleIds = [UnbindApplications.Evidence],
        };

    public static Result NotMultipart() =>
        new RefusedResult("unsupported_media_type", new Say(
            "Send the form as multipart/form-data: the text fields, and each file under its evidence kind as the field name.",
            "请以 multipart/form-data 表单提交：文本字段加上以材料类型命名的文件字段。"))
        {
            Title = new Say("Send the body as multipart/form-data.", "请求体须为 multipart/form-data。"),
        };

    public static Result Malformed(string en, string zh) =>
        new RefusedResult("malformed_request", new Say(en, zh))
        {
            Title = new Say("The multipart form is malformed.", "multipart 表单格式不正确。"),
        };
}
