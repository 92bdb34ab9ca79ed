using System.Text.Json.Serialization;

namespace Bindery.Server.Core;

/// <summary>
/// The body of every non-2xx answer (RFC 9457 problem details) with a stable <see cref="Code"/> and, for rule
/// denials, the failing <see cref="Rules"/> and <see cref="Reasons"/>.
/// </summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Rules = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReasonView>? Reasons = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PassesAt = null)
{
    /// <summary>Further members of this kind of problem (RFC 9457 extension members), e.g. <c>attemptsLeft</c>.</summary>
    [JsonExtensionData]
    public IDictionary<string, object>? Extensions { get; init; }
}
