using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Bulk;

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

    /// <summary>A single-item command's result as an item result: done is created, a rule denial refused, any other refusal failed.</summary>
    public static BulkItemResult From(int index, Result result, Language lang, Principal viewer, Func<object?, string?> idOf) => result switch
    {
        ValueResult ok => new(index, Created, idOf(ok.Value)),
        CreationResult created => new(index, Created, idOf(created.Value)),
        DeniedResult denied => new(index, Refused, Rules: denied.Decision.RuleIds,
            Reasons: ReasonView.For(denied.Decision, lang, viewer)),
        _ => Fail(index, result),
    };

    /// <summary>A failed item; the edge renders <paramref name="failure"/> as the problem its single-item request would answer.</summary>
    public static BulkItemResult Fail(int index, Result failure) => new(index, Failed) { Failure = failure };

    /// <summary>Why the item failed, until the edge renders it into <see cref="Problem"/>.</summary>
    [JsonIgnore]
    public Result? Failure { get; init; }
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

    /// <summary>The request-level checks: at least one item, at most <see cref="MaxItems"/> (else <c>too_many_items</c>).</summary>
    public static Result? Check<T>(BulkRequest<T>? body) where T : class
    {
        var count = body?.Items?.Count ?? 0;
        if (count == 0)
        {
            return Result.Invalid("items", $"is required: 1 to {MaxItems} items");
        }
        if (count > MaxItems)
        {
            return new RefusedResult("too_many_items", new Say(
                $"A bulk request holds at most {MaxItems} items; this one has {count}. Split it into several requests.",
                $"一次批量请求最多 {MaxItems} 条,本次有 {count} 条;请拆分后重试。"))
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["limit"] = MaxItems, ["count"] = count },
            };
        }
        return null;
    }

    /// <summary>A null array element: the item itself is missing.</summary>
    public static readonly Result MissingItem = Result.Invalid("item", "must be a JSON object");
}
