using Bindery.Persistence;
using Bindery.Server.Api;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Reads;

/// <summary>The shared answer of the per-shop and per-account history endpoints.</summary>
public static class HistoryResult
{
    public static async Task<IResult> Answer(HttpContext http, BinderyDb db, string? shopId, string? accountId,
        long? after, int? limit, string? format, CancellationToken ct)
    {
        if (limit is < 1 or > HistoryQuery.MaxLimit)
        {
            return http.Invalid("limit", $"must be between 1 and {HistoryQuery.MaxLimit}");
        }
        if (format is not (null or "json" or "csv"))
        {
            return http.Invalid("format", "must be json or csv");
        }
        var page = await HistoryQuery.Load(db, shopId, accountId, after ?? 0, limit ?? 100, ct);
        if (format == "csv")
        {
            return Results.Text(HistoryQuery.Csv(page.Items), "text/csv; charset=utf-8");
        }
        return Outcome.Ok(page);
    }
}
