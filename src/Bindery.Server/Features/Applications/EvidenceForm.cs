using Bindery.Domain;

namespace Bindery.Server.Features.Applications;

/// <summary>A multipart form as read: its text fields and its evidence files, already on disk (not yet recorded).</summary>
public sealed record EvidenceForm(IReadOnlyDictionary<string, string> Fields, IReadOnlyList<StagedEvidence> Files)
{
    /// <summary>The longest text field a form may carry.</summary>
    public const int MaxFieldLength = 4000;

    public string? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>The last path segment of the sender's file name, or null when empty, too long or with control characters.</summary>
    public static string? CleanFileName(string raw)
    {
        var name = raw[(raw.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name.Length is 0 or > UnbindApplications.MaxFileName || name.Any(char.IsControl) || name is "." or ".." ? null : name;
    }
}
