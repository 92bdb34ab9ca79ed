using System.Text;
using System.Text.Json;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Bindery.Server.Api.Exports;

/// <summary>
/// Z-5: an export written to the response row by row as the database yields them, never held whole: memory stays
/// constant however many rows there are. The status and headers go first, so a failure half-way can only cut the
/// download short (the client sees a truncated body, not a problem document).
/// </summary>
public sealed class ExportStream<T>(ExportScope scope, IAsyncEnumerable<T> rows, string csvHeader, Action<StringBuilder, T> csvRow) : IResult
{
    private const int BufferChars = 32 * 1024;

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = scope.Format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = scope.FileName }.ToString();
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";

        // Only asynchronous writes: the server forbids synchronous I/O on the response.
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferChars, leaveOpen: true);
        var line = new StringBuilder(1024);
        if (scope.Format == ExportFormat.Csv)
        {
            await writer.WriteAsync(csvHeader.AsMemory(), ct);
        }
        await foreach (var row in rows.WithCancellation(ct))
        {
            line.Clear();
            if (scope.Format == ExportFormat.Csv)
            {
                csvRow(line, row);
            }
            else
            {
                line.Append(JsonSerializer.Serialize(row, Json.Options)).Append('\n');
            }
            await writer.WriteAsync(line, ct);
        }
        await writer.FlushAsync(ct);
    }
}
