using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;

namespace Bindery.Server.Api.Bulk;

/// <summary>Z-3: the body of every bulk endpoint, 1 to <see cref="BulkLimits.MaxItems"/> items run in order.</summary>
public sealed record BulkRequest<T>(IReadOnlyList<T?>? Items) where T : class;

/// <summary>An item of <c>POST /bulk/invitations</c>: the shop, the account by id or by handle, the role.</summary>
public sealed record BulkInvitationInput(string? ShopId, string? AccountId, string? Handle, string? Role);

/// <summary>An item of <c>POST /bulk/unlink-approvals</c>.</summary>
public sealed record BulkUnlinkApprovalInput(string? UnlinkRequestId, string? Note);

/// <summary>
/// One item's result: <c>created</c> (done; <see cref="Id"/> names what was created or acted on), <c>exists</c> (an import row
/// already stored with the same data), <c>refused</c> (a rule denial: <see cref="Rules"/> and <see cref="Reasons"/>) or
/// <c>failed</c> (any other problem, in <see cref="Problem"/>). Members that do not apply are absent.
/// </summary>
public sealed record BulkItemResult(
    int Index,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Rules = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReasonView>? Reasons = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemBody? Problem = null)
{
    public const string Created = "created";
    public const string Exists = "exists";
    public const string Refused = "refused";
    public const string Failed = "failed";

    /// <summary>A single-item command's answer as an item result: 2xx created, a rule denial refused, any other problem failed.</summary>
    public static BulkItemResult From(int index, Outcome outcome, Func<object?, string?> idOf) => outcome switch
    {
        { IsSuccess: true } => new(index, Created, idOf(outcome.Body)),
        { Body: ProblemBody { Code: "rule_denied" } p } => new(index, Refused, Rules: p.Rules ?? [], Reasons: p.Reasons ?? []),
        { Body: ProblemBody p } => new(index, Failed, Problem: p),
        _ => new(index, Failed, Problem: Problems.Make(outcome.Status, "internal_error", Language.En)),
    };

    public static BulkItemResult Fail(int index, ProblemBody problem) => new(index, Failed, Problem: problem);
}

public sealed record BulkSummary(int Created, int Exists, int Refused, int Failed);

/// <summary>Z-3: every item's result, in the order of the request, and the counts by status.</summary>
public sealed record BulkResponse(IReadOnlyList<BulkItemResult> Results, BulkSummary Summary)
{
    public static BulkResponse Of(IReadOnlyList<BulkItemResult> results) => new(results, new BulkSummary(
        results.Count(r => r.Status == BulkItemResult.Created),
        results.Count(r => r.Status == BulkItemResult.Exists),
        results.Count(r => r.Status == BulkItemResult.Refused),
        results.Count(r => r.Status == BulkItemResult.Failed)));
}

public static class BulkLimits
{
    /// <summary>
    /// Items per request. A bulk request is one transaction holding the single write gate (ADR 0003), so the limit also
    /// bounds how long other writers wait; 1000 imports take a fraction of a second.
    /// </summary>
    public const int MaxItems = 1000;

    /// <summary>The request-level checks: at least one item, at most <see cref="MaxItems"/> (else 400 <c>too_many_items</c>).</summary>
    public static ProblemBody? Check<T>(BulkRequest<T>? body, Language lang) where T : class
    {
        var count = body?.Items?.Count ?? 0;
        if (count == 0)
        {
            return Problems.Validation(lang, "items", $"is required: 1 to {MaxItems} items");
        }
        if (count > MaxItems)
        {
            var zh = lang == Language.ZhCn;
            return new ProblemBody(
                "urn:bindery:problem:too-many-items",
                zh ? "批量请求的条目过多。" : "The bulk request has too many items.",
                400,
                zh ? $"一次批量请求最多 {MaxItems} 条,本次有 {count} 条;请拆分后重试。"
                   : $"A bulk request holds at most {MaxItems} items; this one has {count}. Split it into several requests.",
                "too_many_items")
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["limit"] = MaxItems, ["count"] = count },
            };
        }
        return null;
    }

    /// <summary>An item's field errors as the problem the single-item endpoint would answer (400 validation_failed).</summary>
    public static ProblemBody Problem(FieldErrors errors, Language lang) => (ProblemBody)errors.Problem(lang).Body!;

    /// <summary>A null array element: the item itself is missing.</summary>
    public static ProblemBody MissingItem(Language lang) => Problems.Validation(lang, "item", "must be a JSON object");
}
