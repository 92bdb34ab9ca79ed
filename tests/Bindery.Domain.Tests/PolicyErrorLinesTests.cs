using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>
/// Every error of a policy file points at a line (for `bindery policy validate`): the line of the field the parser
/// names, of its nearest present ancestor when the field is missing, or of the JSON syntax error.
/// </summary>
public sealed class PolicyErrorLinesTests
{
    private static IReadOnlyList<PolicyErrorLines.LocatedError> Errors(string json) =>
        PolicyErrorLines.Locate(json, Assert.Throws<PolicyException>(() => PolicyParser.Parse(json, "x.json")));

    /// <summary>The 1-based line of the first line containing <paramref name="text"/>.</summary>
    private static int LineOf(string json, string text) =>
        json.Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(text, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void Properties_nested_objects_and_array_elements_get_their_lines_comments_included()
    {
        var lines = PolicyErrorLines.PathLines(PresetText);

        Assert.Equal(1, lines[""]);
        Assert.Equal(3, lines["id"]);
        Assert.Equal(8, lines["roles.official"]);
        Assert.Equal(8, lines["roles.official.mayAddProductsByHand"]);
        Assert.Equal(13, lines["capacity.invited.channel"]);
        Assert.Equal(24, lines["eligibility.callerCountryCheckedOn.2"]);
        Assert.Equal(35, lines["unlinkRequest.autoApproveAfter"]);
    }

    [Fact]
    public void Array_elements_on_their_own_lines_each_get_their_line()
    {
        var lines = PolicyErrorLines.PathLines("{\n \"a\": [\n  1,\n  { \"b\": 2 },\n  [\n   3\n  ]\n ]\n}");

        Assert.Equal(3, lines["a.0"]);
        Assert.Equal(4, lines["a.1"]);
        Assert.Equal(4, lines["a.1.b"]);
        Assert.Equal(5, lines["a.2"]);
        Assert.Equal(6, lines["a.2.0"]);
    }

    [Fact] // TS-I1
    public void A_bad_value_points_at_its_own_line()
    {
        var json = PresetText.Replace("\"PT48H\"", "\"48h\"", StringComparison.Ordinal);

        var error = Assert.Single(Errors(json));

        Assert.Equal(LineOf(json, "expiresAfter"), error.Line);
        Assert.StartsWith("invitation.expiresAfter:", error.Message, StringComparison.Ordinal);
    }

    [Fact] // TS-E4
    public void A_bad_list_element_written_with_brackets_points_at_the_list_line()
    {
        var json = PresetText.Replace("\"request_unlink\"]", "\"wave\"]", StringComparison.Ordinal);

        var error = Assert.Single(Errors(json));

        Assert.StartsWith("eligibility.callerCountryCheckedOn[2]:", error.Message, StringComparison.Ordinal);
        Assert.Equal(24, error.Line);
    }

    [Fact] // TS-B2
    public void A_missing_field_points_at_its_parent_object()
    {
        var json = PresetText.Replace("\"invited\": { \"official\": 1, \"channel\": 4 }", "\"invited\": { \"official\": 1 }", StringComparison.Ordinal);

        var error = Assert.Single(Errors(json));

        Assert.Equal("capacity.invited.channel: is required", error.Message);
        Assert.Equal(13, error.Line);
    }

    [Fact]
    public void A_missing_top_level_field_points_at_the_document_start()
    {
        var json = "// a comment first\n\n" + PresetText.Replace("\"name\": \"TikTok Shop\",", "", StringComparison.Ordinal);

        var error = Assert.Single(Errors(json));

        Assert.Equal("name: is required", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Several_errors_come_in_line_order()
    {
        var json = PresetText
            .Replace("\"P7D\"", "\"7 days\"", StringComparison.Ordinal)
            .Replace("\"version\": 1", "\"version\": 0", StringComparison.Ordinal)
            .Replace("\"minimumAge\": 18", "\"minimumAge\": -1", StringComparison.Ordinal);

        var errors = Errors(json);

        Assert.Equal([4, 21, 35], errors.Select(e => e.Line));
    }

    [Fact]
    public void A_syntax_error_keeps_the_line_the_parser_names()
    {
        var json = PresetText.Replace("\"version\": 1,", "\"version\": 1,,", StringComparison.Ordinal);

        var error = Assert.Single(Errors(json));

        Assert.StartsWith("line 4,", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("unbindApplication.reasons[0].requiredEvidence", "unbindApplication.reasons.0.requiredEvidence")]
    [InlineData("eligibility.allowedOrigins[2]", "eligibility.allowedOrigins.2")]
    [InlineData("unbindApplication.reasons.1.code", "unbindApplication.reasons.1.code")]
    public void Both_ways_of_writing_an_index_are_the_same_path(string written, string normalized)
    {
        Assert.Equal(normalized, PolicyErrorLines.Normalize(written));
    }
}
