using Bindery.Persistence;
using Bindery.Server.Features.History;
using Bindery.Server.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bindery.Server.Api;

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
        if (format == "csv")
        {
            // An export: without a limit it is the whole history, not the first page (X-1, Z-5); with one, the
            // Link header says where the next page starts, since a CSV body has no room for a cursor.
            var rows = new List<HistoryView>();
            var from = after ?? 0;
            while (true)
            {
                var chunk = await HistoryQuery.Load(db, shopId, accountId, from, limit ?? HistoryQuery.MaxLimit, ct);
                rows.AddRange(chunk.Items);
                if (chunk.Next is not { } next)
                {
                    break;
                }
                if (limit is not null)
                {
                    var link = QueryHelpers.AddQueryString(http.Request.Path, new Dictionary<string, string?>(StringComparer.Ordinal)
                    {
                        ["format"] = "csv",
                        ["after"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["limit"] = limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                    http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
                    break;
                }
                from = next;
            }
            return Results.Text(HistoryQuery.Csv(rows), "text/csv; charset=utf-8");
        }
        return Result.Ok(await HistoryQuery.Load(db, shopId, accountId, after ?? 0, limit ?? 100, ct)).ToHttp();
    }
}
