using Bindery.Cli.Csv;

namespace Bindery.Cli.Import;

/// <summary>
/// The rows an import could not bring in, written as <c>FILE.rejected.csv</c>: the original columns as they were,
/// plus <c>error_code</c>, <c>error_rules</c> and <c>error_message</c>. The user fixes the rows and imports that file
/// (its error columns are ignored on import). Written to a side file and moved into place when the import ends.
/// </summary>
internal sealed class RejectedRows(string inputPath, IReadOnlyList<string> header, IReadOnlyList<int> dataColumns) : IDisposable
{
    private StreamWriter? stream;
    private CsvWriter? writer;

    /// <summary>x.csv → x.rejected.csv; x.rejected.csv stays x.rejected.csv (fix, re-import, repeat).</summary>
    public static string PathFor(string input)
    {
        if (input.EndsWith(".rejected.csv", StringComparison.OrdinalIgnoreCase))
        {
            return input;
        }
        return input.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? input[..^4] + ".rejected.csv" : input + ".rejected.csv";
    }

    public string Path { get; } = PathFor(inputPath);

    public long Count { get; private set; }

    private string TempPath => Path + ".tmp";

    public void Add(CsvRecord record, string code, string rules, string message)
    {
        if (writer is null)
        {
            stream = new StreamWriter(TempPath, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer = new CsvWriter(stream);
            writer.Write(dataColumns.Select(i => header[i]).Concat(ImportKind.ErrorColumns));
        }
        writer.Write(DataFields(record.Fields).Concat([code, rules, message]));
        Count++;
    }

    /// <summary>
    /// Puts the file in place and returns its path, or null when every row went in (then a stale rejected file of
    /// an earlier run of the same input is removed, so what is on disk never contradicts this run).
    /// </summary>
    public string? Complete()
    {
        if (stream is not null)
        {
            stream.Dispose();
            stream = null;
            File.Move(TempPath, Path, overwrite: true);
            return Path;
        }
        if (Count == 0 && !string.Equals(Path, inputPath, StringComparison.Ordinal) && File.Exists(Path))
        {
            File.Delete(Path);
        }
        return null;
    }

    public void Dispose()
    {
        if (stream is not null)
        {
            stream.Dispose();
            File.Delete(TempPath);
        }
    }

    /// <summary>The data columns of a row; a row with the wrong number of fields is padded, or its extra fields kept in the last column.</summary>
    private IEnumerable<string> DataFields(string[] fields)
    {
        if (fields.Length == header.Count)
        {
            return dataColumns.Select(i => fields[i]);
        }
        var n = dataColumns.Count;
        var padded = fields.Take(n).Concat(Enumerable.Repeat("", Math.Max(0, n - fields.Length))).ToArray();
        if (fields.Length > n && n > 0)
        {
            padded[n - 1] = string.Join(",", fields.Skip(n - 1));
        }
        return padded;
    }
}
