using System.Globalization;
using System.Text;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.History;

/// <summary>X-1: history per shop or per account, in order, paged by sequence; also as CSV.</summary>
public static class HistoryQuery
{
    public const int MaxLimit = 1000;

    public static async Task<Page<HistoryView>> Load(BinderyDb db, string? shopId, string? accountId, long after, int limit, CancellationToken ct)
    {
        var rows = await db.History.AsNoTracking()
            .Where(h => h.Seq > after && (shopId == null || h.ShopId == shopId) && (accountId == null || h.AccountId == accountId))
            .OrderBy(h => h.Seq)
            .Take(limit + 1)
            .ToListAsync(ct);
        var page = rows.Take(limit).Select(HistoryView.From).ToArray();
        return new Page<HistoryView>(page, rows.Count > limit ? page[^1].Seq : null);
    }

    public const string CsvHeader = "seq,at,actor,client_address,shop_id,account_id,subject_type,subject_id,action,before,after\n";

    public static string Csv(IEnumerable<HistoryView> rows)
    {
        var sb = new StringBuilder(CsvHeader);
        foreach (var h in rows)
        {
            AppendCsv(sb, h);
        }
        return sb.ToString();
    }

    /// <summary>One CSV line of <see cref="CsvHeader"/>'s columns (shared with the streamed export, Z-5).</summary>
    public static StringBuilder AppendCsv(StringBuilder sb, HistoryView h) =>
        sb.Append(h.Seq.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(CsvInstant(h.At)).Append(',')
            .Append(Cell(h.Actor)).Append(',').Append(Cell(h.ClientAddress)).Append(',')
            .Append(Cell(h.ShopId)).Append(',').Append(Cell(h.AccountId)).Append(',')
            .Append(Cell(h.SubjectType)).Append(',').Append(Cell(h.SubjectId)).Append(',').Append(Cell(h.Action)).Append(',')
            .Append(Cell(h.Before?.GetRawText())).Append(',').Append(Cell(h.After?.GetRawText())).Append('\n');

    /// <summary>An instant as the API writes it: UTC, trailing Z, no zero fraction.</summary>
    public static string CsvInstant(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not execute it.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
