using Bindery.Cli.Csv;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>RFC 4180 reading and writing, as the import uses them (Z-3).</summary>
public sealed class CsvTests
{
    private static List<CsvRecord> Read(string text) => CsvReader.Read(new StringReader(text)).ToList();

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var rows = Read("id,name,note\r\nshop-1,\"Tea, Cakes & Co\",\"said \"\"hi\"\"\nthen left\"\r\nshop-2,plain,\r\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["shop-1", "Tea, Cakes & Co", "said \"hi\"\nthen left"], rows[1].Fields);
        Assert.Equal(["shop-2", "plain", ""], rows[2].Fields);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(4, rows[2].Line); // the quoted line break moved the next record down a line
    }

    [Fact]
    public void Lf_cr_and_crlf_all_end_records_and_empty_lines_are_skipped()
    {
        var rows = Read("a,b\n1,2\r3,4\r\n\r\n\n5,6");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], rows.Select(r => r.Fields));
        Assert.Equal(6, rows[^1].Line);
    }

    [Fact]
    public void An_empty_quoted_field_and_empty_trailing_fields_are_kept()
    {
        var rows = Read("a,b,c\n\"\",,\n");

        Assert.Equal(["", "", ""], rows[1].Fields);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_text()
    {
        Assert.Equal(["5\" screen", "x"], Read("5\" screen,x")[0].Fields);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_naming_the_line_where_the_record_starts()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("a,b\n1,2\n3,\"never closed\n4,5\n"));

        Assert.Equal(3, e.Line);
        Assert.Contains("not closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("a,b\n\"x\"y,2\n"));

        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded", "\" padded\"")]
    [InlineData("山海茶铺", "山海茶铺")]
    public void Writing_quotes_only_what_needs_quoting(string field, string written)
    {
        Assert.Equal(written, CsvWriter.Escape(field));
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        string[][] rows = [["id", "note"], ["1", "a, \"b\"\r\nc"], ["2", " x "], ["3", ""]];
        var text = new StringWriter();
        var writer = new CsvWriter(text);
        foreach (var r in rows)
        {
            writer.Write(r);
        }

        Assert.Equal(rows, Read(text.ToString()).Select(r => r.Fields));
    }
}
