using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Cli.Csv;
using Bindery.Cli.Http;
using Bindery.Cli.Output;

namespace Bindery.Cli.Import;

/// <summary>What an import did. <see cref="Stopped"/> is set when a server or network failure ended it early.</summary>
public sealed record ImportSummary(
    string Kind, string File, long Rows, long Created, long Exists, long Refused, long Failed,
    string? RejectedFile, string RunId, int Requests, TimeSpan Elapsed, long RowsDone, Exception? Stopped)
{
    public bool AllIn => Refused == 0 && Failed == 0 && Stopped is null;
}

/// <summary>
/// Imports a CSV file through the bulk endpoint of its kind (Z-3). The file is read twice, streaming: first to
/// check its CSV syntax and header, count the rows and hash the bytes, then to send the rows in order, 1000 per
/// request. Every request carries an Idempotency-Key made of the kind, the file's SHA-256, the run id and the chunk
/// index, and is retried with the same key after a network error or a 5xx, so a retried chunk never acts twice.
/// (The run id is part of the key because the server keeps keys: a new run of the same file must be answered from
/// the data, "exists", not replayed from the first run; `--run-id` resumes an interrupted run with its own keys.)
/// </summary>
internal sealed class BulkImporter(ApiClient api, CliSettings settings, TextWriter warnings)
{
    private static readonly string[] True = ["true", "yes", "1"];
    private static readonly string[] False = ["false", "no", "0"];

    /// <summary>The file's header, row count and content hash; throws a usage error when it cannot be imported.</summary>
    public static (string[] Header, long Rows, string Hash) Scan(ImportKind kind, string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"{path}: no such file.");
        }
        using var file = File.OpenRead(path);
        using var sha = SHA256.Create();
        using var hashing = new CryptoStream(file, sha, CryptoStreamMode.Read);
        string[]? header = null;
        long rows = 0;
        using (var reader = new StreamReader(hashing, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true))
        {
            try
            {
                foreach (var record in CsvReader.Read(reader))
                {
                    if (header is null)
                    {
                        header = record.Fields.Select(f => f.Trim()).ToArray();
                    }
                    else
                    {
                        rows++;
                    }
                }
                // The hash covers every byte, including any after the last record.
                reader.ReadToEnd();
            }
            catch (CsvFormatException e)
            {
                throw new CliUsageException($"{path}: {e.Message}; nothing was imported.");
            }
        }
        if (!hashing.HasFlushedFinalBlock)
        {
            hashing.FlushFinalBlock();
        }
        if (header is null)
        {
            throw new CliUsageException($"{path} is empty: its first line must be a header of API field names, e.g. {string.Join(",", kind.Fields.Take(6))}");
        }
        CheckHeader(kind, path, header);
        return (header, rows, Convert.ToHexStringLower(sha.Hash!));
    }

    private static void CheckHeader(ImportKind kind, string path, string[] header)
    {
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CliUsageException($"{path}: the column '{duplicate.Key}' appears more than once in the header.");
        }
        if (!header.Any(h => kind.Fields.Contains(h, StringComparer.Ordinal)))
        {
            throw new CliUsageException($"{path}: the header names none of the fields of {kind.Name} ({string.Join(",", kind.Fields)}); is this a {kind.Name} file?");
        }
    }

    public async Task<ImportSummary> Run(ImportKind kind, string path, string runId, Action<long, long> progress, CancellationToken ct)
    {
        var started = settings.Time.GetTimestamp();
        var (header, total, hash) = Scan(kind, path);
        var dataColumns = Enumerable.Range(0, header.Length).Where(i => !ImportKind.ErrorColumns.Contains(header[i], StringComparer.Ordinal)).ToArray();
        foreach (var unknown in dataColumns.Select(i => header[i]).Where(h => !kind.Fields.Contains(h, StringComparer.Ordinal)))
        {
            warnings.WriteLine($"Column '{unknown}' is not a field of {kind.Name}; it is sent as text and the server may ignore it.");
        }
        using var rejected = new RejectedRows(path, header, dataColumns);
        var counts = new Counts();
        var requests = 0;
        long done = 0;
        Exception? stopped = null;
        // Rows in file order since the last request: the ones to send, and the ones already rejected here (wrong
        // field count, unreadable boolean). Rejections are written when the request is answered, so the rejected
        // file keeps the order of the input.
        var pending = new List<Pending>(settings.ImportChunkSize);
        var sendable = 0;
        var chunkIndex = 0;
        progress(0, total);
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
            foreach (var record in CsvReader.Read(reader).Skip(1))
            {
                if (record.Fields.Length != header.Length)
                {
                    pending.Add(new Pending(record, null, ("csv_field_count", "", $"line {record.Line}: {record.Fields.Length} fields, but the header has {header.Length}")));
                }
                else if (Item(kind, header, dataColumns, record, out var error) is { } item)
                {
                    pending.Add(new Pending(record, item, null));
                    sendable++;
                }
                else
                {
                    pending.Add(new Pending(record, null, ("invalid_value", "", error!)));
                }
                if (sendable == settings.ImportChunkSize)
                {
                    await Send(kind, pending, $"bindery-import-{kind.Name}-{hash[..32]}-{runId}-{chunkIndex++}", counts, rejected, ct);
                    requests++;
                    done += pending.Count;
                    pending.Clear();
                    sendable = 0;
                    progress(done, total);
                }
            }
            if (pending.Count > 0)
            {
                if (sendable > 0)
                {
                    await Send(kind, pending, $"bindery-import-{kind.Name}-{hash[..32]}-{runId}-{chunkIndex}", counts, rejected, ct);
                    requests++;
                }
                else
                {
                    Reject(pending.Select(p => (p.Record, p.LocalError!.Value)), counts, rejected);
                }
                done += pending.Count;
            }
            progress(done, total);
        }
        catch (Exception e) when (e is ServerUnreachableException or ApiProblemException)
        {
            stopped = e;
        }
        var rejectedFile = rejected.Complete();
        return new ImportSummary(kind.Name, path, total, counts.Created, counts.Exists, counts.Refused, counts.Failed, rejectedFile, runId,
            requests, settings.Time.GetElapsedTime(started), done, stopped);
    }

    /// <summary>A row as the API's JSON item: empty cells are left out (the server's default), booleans are parsed.</summary>
    private static JsonObject? Item(ImportKind kind, string[] header, int[] dataColumns, CsvRecord record, out string? error)
    {
        var item = new JsonObject();
        foreach (var i in dataColumns)
        {
            var value = record.Fields[i];
            if (value.Length == 0)
            {
                continue;
            }
            var name = header[i];
            if (kind.BooleanFields.Contains(name))
            {
                var v = value.Trim();
                if (True.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    item[name] = true;
                }
                else if (False.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    item[name] = false;
                }
                else
                {
                    error = $"{name}: '{value}' is not true or false";
                    return null;
                }
                continue;
            }
            item[name] = value;
        }
        error = null;
        return item;
    }

    private sealed record Pending(CsvRecord Record, JsonObject? Item, (string Code, string Rules, string Message)? LocalError);

    private async Task Send(ImportKind kind, List<Pending> pending, string key, Counts counts, RejectedRows rejected, CancellationToken ct)
    {
        var rows = pending.Where(p => p.Item is not null).ToList();
        var body = new JsonObject { ["items"] = new JsonArray(rows.Select(r => (JsonNode)r.Item!).ToArray()) };
        // Each row's outcome: null = in; else its error. Filled from the answer, then written in file order.
        var outcome = new Dictionary<Pending, (string Code, string Rules, string Message)?>(ReferenceEqualityComparer.Instance);
        ApiResponse? answer = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                answer = await api.Post(kind.Endpoint, body, ct, key);
                break;
            }
            catch (ServerUnreachableException) when (attempt < settings.RetryDelays.Count)
            {
                await Task.Delay(settings.RetryDelays[attempt], settings.Time, ct);
            }
            catch (ApiProblemException e) when (e.Status >= 500 && attempt < settings.RetryDelays.Count)
            {
                await Task.Delay(settings.RetryDelays[attempt], settings.Time, ct);
            }
            catch (ApiProblemException e) when (e.Status is 400 or 409 or 422)
            {
                // The request as a whole was refused: every row of it is rejected with that problem; the import goes on.
                var (code, rules, message) = ErrorOf("failed", null, e.Problem);
                foreach (var row in rows)
                {
                    outcome[row] = (code == "failed" ? $"http_{e.Status}" : code, rules, message);
                    counts.Failed++;
                }
                break;
            }
        }
        if (answer is not null)
        {
            var results = answer.Json["results"] as JsonArray ?? [];
            foreach (var r in results)
            {
                if (r?["index"]?.GetValue<int>() is not { } index || index < 0 || index >= rows.Count || outcome.ContainsKey(rows[index]))
                {
                    continue;
                }
                var status = r["status"]?.GetValue<string>() ?? "failed";
                if (status == "created")
                {
                    counts.Created++;
                    outcome[rows[index]] = null;
                }
                else if (status == "exists")
                {
                    counts.Exists++;
                    outcome[rows[index]] = null;
                }
                else
                {
                    counts.Refused += status == "refused" ? 1 : 0;
                    counts.Failed += status == "refused" ? 0 : 1;
                    outcome[rows[index]] = ErrorOf(status, r, r["problem"] as JsonObject);
                }
            }
        }
        var rejections = new List<(CsvRecord, (string, string, string))>();
        foreach (var p in pending)
        {
            if (p.LocalError is { } local)
            {
                counts.Failed++;
                rejections.Add((p.Record, local));
            }
            else if (!outcome.TryGetValue(p, out var error))
            {
                counts.Failed++;
                rejections.Add((p.Record, ("no_result", "", "the server's answer had no result for this row")));
            }
            else if (error is { } e)
            {
                rejections.Add((p.Record, e));
            }
        }
        foreach (var (record, (code, rules, message)) in rejections)
        {
            rejected.Add(record, code, rules, message);
        }
    }

    private static void Reject(IEnumerable<(CsvRecord Record, (string Code, string Rules, string Message) Error)> rows, Counts counts, RejectedRows rejected)
    {
        foreach (var (record, (code, rules, message)) in rows)
        {
            counts.Failed++;
            rejected.Add(record, code, rules, message);
        }
    }

    /// <summary>error_code, error_rules (space-separated ids) and error_message of a refused or failed row.</summary>
    internal static (string Code, string Rules, string Message) ErrorOf(string status, JsonNode? result, JsonObject? problem)
    {
        var reasons = (result?["reasons"] ?? problem?["reasons"]) as JsonArray;
        var ruleList = (result?["rules"] ?? problem?["rules"]) as JsonArray;
        var rules = ruleList is { Count: > 0 }
            ? ruleList.Select(Show.Text)
            : reasons?.Select(x => Show.Text(x, "rule")) ?? [];
        var code = problem?["code"]?.GetValue<string>() ?? (status == "refused" ? "rule_denied" : status);
        var message = reasons is { Count: > 0 }
            ? string.Join(" | ", reasons.Select(x => $"[{Show.Text(x, "rule")}] {Show.Text(x, "message")}"))
            : problem?["detail"]?.GetValue<string>() ?? problem?["title"]?.GetValue<string>() ?? "";
        return (code, string.Join(" ", rules.Distinct(StringComparer.Ordinal)), message);
    }

    private sealed class Counts
    {
        public long Created;
        public long Exists;
        public long Refused;
        public long Failed;
    }
}
