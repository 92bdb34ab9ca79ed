using System.Text;

namespace Bindery.Cli.Csv;

/// <summary>One record of a CSV file: its fields and the line it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, string[] Fields);

/// <summary>A CSV file that cannot be read as RFC 4180; names the line.</summary>
public sealed class CsvFormatException(int line, string message) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads RFC 4180 CSV as a stream of records: fields separated by commas, records by CRLF, LF or CR; a field in
/// double quotes may hold commas, line breaks and doubled quotes (""). A quote inside an unquoted field is kept as
/// text. Empty lines are skipped. Nothing is held beyond the current record.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;      // inside a quoted field
        var wasQuoted = false;   // the current field was quoted and its closing quote seen
        var any = false;         // the current record has at least one character
        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                if (c == -1)
                {
                    throw new CsvFormatException(recordLine, "a quoted field is not closed before the end of the file");
                }
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        wasQuoted = true;
                    }
                    continue;
                }
                if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                {
                    line++;
                }
                field.Append((char)c);
                continue;
            }
            if (c == -1 || c == '\n' || c == '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }
                if (any)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, fields.ToArray());
                }
                if (c == -1)
                {
                    yield break;
                }
                fields.Clear();
                field.Clear();
                any = false;
                wasQuoted = false;
                line++;
                recordLine = line;
                continue;
            }
            any = true;
            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
                continue;
            }
            if (wasQuoted)
            {
                throw new CsvFormatException(line, $"unexpected '{(char)c}' after a closing quote (a field that holds quotes must be quoted whole, with quotes doubled)");
            }
            if (c == '"' && field.Length == 0)
            {
                quoted = true;
                continue;
            }
            field.Append((char)c);
        }
    }
}

/// <summary>Writes RFC 4180 CSV: fields quoted when they hold a comma, a quote, a line break or edge spaces.</summary>
public sealed class CsvWriter(TextWriter writer)
{
    public void Write(IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }
            first = false;
            writer.Write(Escape(f ?? ""));
        }
        writer.Write("\r\n");
    }

    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
